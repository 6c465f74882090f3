"""Whole-record downloads stored per record version (meetings/prerender.py).

The bodies are kept uncompressed by PostgreSQL (STORAGE EXTERNAL): two of the three are
compressed already, and the plain one is read whole on every use, where pglz would cost a
decompression each time for little room saved.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0012_meeting_newest_first'),
    ]

    operations = [
        migrations.CreateModel(
            name='StoredDownload',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('path', models.CharField(help_text="The download's address, e.g. /data/meetings.json.", max_length=100)),
                ('version', models.CharField(help_text='The record version it was rendered from (RecordVersion).', max_length=60)),
                ('headers', models.JSONField(help_text="The response headers of each encoding, by encoding ('' for plain).")),
                ('plain', models.BinaryField()),
                ('gzip', models.BinaryField()),
                ('br', models.BinaryField()),
                ('stored', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('path', 'version'), name='stored_download_once_per_version')],
            },
        ),
        migrations.RunSQL(
            "ALTER TABLE meetings_storeddownload ALTER COLUMN plain SET STORAGE EXTERNAL, "
            "ALTER COLUMN gzip SET STORAGE EXTERNAL, ALTER COLUMN br SET STORAGE EXTERNAL;",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
