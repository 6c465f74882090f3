from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = "The Security Council"
