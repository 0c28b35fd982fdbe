"""Signing in: the password checked, wrong ones counted, the account locked
after ``lockout_attempts`` of them in a row — for ``lockout_seconds``, then
twice as long at each further lock-out until a successful sign-in (back-off),
capped at a day.  Every attempt is audited (``sign_in`` ok/refused,
``lock_out``), and the counters commit with the entry: a failed sign-in
*returns* its verdict instead of raising, so the transaction keeps them.
"""
from dataclasses import dataclass
from datetime import timedelta

from .. import timeutil
from ..events import PersonEvent, fire
from ..settings import get_settings
from .model import verify

MAX_LOCK = timedelta(days=1)


@dataclass
class Attempt:
    person: object = None           # the person signed in, or None
    message: str = ""               # why not, in Vietnamese
    locked_until: object = None


WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def sign_in(root, login, password, *, registry, request=None, now=None):
    now = now or timeutil.now()
    settings = get_settings(registry)
    person = root.people.get(login or "")
    usable = person is not None and person.active

    def note(action, outcome, actor=None, **detail):
        fire(registry, PersonEvent(root, login or "-", request, action=action, actor=actor,
                                   outcome=outcome, detail=detail))

    if usable and person.locked_until is not None and now < person.locked_until:
        note("sign_in", "refused", reason="locked")
        return Attempt(message=locked_message(person.locked_until),
                       locked_until=person.locked_until)
    if not verify(person if usable else None, password):
        if not usable:
            note("sign_in", "refused", reason="unknown_or_disabled")
            return Attempt(message=WRONG)
        person.failures += 1
        if person.failures < settings.lockout_attempts:
            note("sign_in", "refused", reason="wrong_password", failures=person.failures)
            return Attempt(message=WRONG)
        person.lockouts += 1
        span = timedelta(seconds=settings.lockout_seconds) * 2 ** (person.lockouts - 1)
        person.locked_until = now + min(span, MAX_LOCK)
        person.failures = 0
        note("lock_out", "locked", until=timeutil.isoformat(person.locked_until),
             lockouts=person.lockouts)
        return Attempt(message=locked_message(person.locked_until),
                       locked_until=person.locked_until)
    person.failures, person.lockouts, person.locked_until = 0, 0, None
    person.last_sign_in = now
    note("sign_in", "ok", actor=person)
    return Attempt(person=person)


def locked_message(until):
    return ("Tài khoản tạm khóa vì nhập sai mật khẩu nhiều lần; hãy thử lại sau %s."
            % timeutil.show_datetime(until))


def sign_out(root, person, *, registry, request=None):
    fire(registry, PersonEvent(root, person.login, request, action="sign_out", actor=person))
