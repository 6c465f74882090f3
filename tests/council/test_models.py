import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from council.models import CouncilTerm, Presidency, Seat
from tests.factories import make_council, make_state

pytestmark = pytest.mark.django_db

D = datetime.date


def test_iso3_must_be_three_capitals():
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_state("chn")


def test_iso3_is_unique_natural_key():
    state = make_state("ABC")
    assert state.natural_key() == ("ABC",)
    assert type(state).objects.get_by_natural_key("ABC") == state
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_state("ABC", short_name="Other")


def test_term_must_end_after_it_starts():
    state = make_state()
    with transaction.atomic(), pytest.raises(IntegrityError, match="term_ends_after_it_starts"):
        CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=D(2015, 1, 1), end=D(2014, 12, 31))


@pytest.mark.parametrize(("seat", "end"), [(Seat.PERMANENT, D(2000, 1, 1)), (Seat.ELECTED, None)])
def test_only_elected_terms_end(seat, end):
    with transaction.atomic(), pytest.raises(IntegrityError, match="term_end_only_and_always_for_elected_seats"):
        CouncilTerm.objects.create(state=make_state(), seat=seat, start=D(1990, 1, 1), end=end)


def test_terms_of_one_state_cannot_overlap():
    state = make_state()
    CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=D(2014, 1, 1), end=D(2015, 12, 31))
    with transaction.atomic(), pytest.raises(IntegrityError, match="term_no_overlap_for_a_state"):
        CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=D(2015, 1, 1), end=D(2016, 12, 31))


def test_overlap_is_explained_to_an_editor():
    state = make_state()
    CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=D(2014, 1, 1), end=D(2015, 12, 31))
    term = CouncilTerm(state=state, seat=Seat.ELECTED, start=D(2015, 6, 1), end=D(2016, 12, 31))
    with pytest.raises(ValidationError, match="already has a term on the Council in these dates"):
        term.full_clean()


def test_consecutive_terms_are_fine():
    state = make_state()
    CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=D(2014, 1, 1), end=D(2015, 12, 31))
    CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=D(2016, 1, 1), end=D(2017, 12, 31))
    assert state.terms.count() == 2


def test_the_fifteen_members_on_a_day_is_a_query():
    members = make_council(2014)
    day = D(2014, 12, 22)
    assert set(t.state for t in CouncilTerm.objects.active_on(day)) == set(members)
    # On the last day of a term it still counts; the next day it does not.
    assert CouncilTerm.objects.active_on(D(2014, 12, 31)).count() == 15
    assert CouncilTerm.objects.active_on(D(2015, 1, 1)).count() == 10


def test_presidency_month_is_its_first_day():
    state = make_council()[0]
    with transaction.atomic(), pytest.raises(IntegrityError, match="presidency_month_is_first_day"):
        Presidency.objects.create(month=D(2014, 12, 5), state=state)


def test_presidency_is_unique_per_month():
    members = make_council()
    Presidency.objects.create(month=D(2014, 12, 1), state=members[0])
    with transaction.atomic(), pytest.raises(IntegrityError):
        Presidency.objects.create(month=D(2014, 12, 1), state=members[1])


def test_president_must_sit_on_the_council():
    make_council(2014)
    outsider = make_state(short_name="Outsider")
    presidency = Presidency(month=D(2014, 12, 1), state=outsider)
    with pytest.raises(ValidationError, match="Outsider was not on the Council on 01 December 2014"):
        presidency.full_clean()


def test_state_name_unique_and_term_unique_start():
    state = make_state("ABD", short_name="Same")
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_state("ABE", short_name="Same")  # the same UN name
    CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=D(2014, 1, 1), end=D(2015, 12, 31))
    with transaction.atomic(), pytest.raises(IntegrityError, match="term_unique_state_start|term_no_overlap"):
        CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=D(2014, 1, 1), end=D(2014, 6, 30))
