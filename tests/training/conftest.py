import pytest

from tests.factories import AttendeeFactory
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory


@pytest.fixture
def module(event):
    return TrainingModuleFactory(event=event)


@pytest.fixture
def session(module):
    return TrainingSessionFactory(module=module)


@pytest.fixture
def make_attendee(event):
    def make(**kwargs):
        return AttendeeFactory(event=event, **kwargs)

    return make
