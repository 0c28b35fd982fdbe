"""``/login``, ``/logout``, ``/setup`` — thin: the form in, ``sign_in`` /
``set_password`` (which audit themselves), a redirect out."""
from urllib.parse import urlparse

from pyramid.csrf import check_csrf_token
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.security import forget, remember
from pyramid.view import view_config

from ..errors import ArchiveError
from ..resources.root import ArchiveRoot
from .model import find_by_setup, set_password
from .signin import sign_in, sign_out

TEMPLATES = "archive_repo.people:templates/"


def safe_target(request, came_from):
    """Only a path of this site: an open redirect would let a forged link
    send a person who just signed in anywhere."""
    parsed = urlparse(came_from or "")
    if parsed.scheme or parsed.netloc or not (came_from or "").startswith("/") or \
            came_from.startswith("//") or came_from.startswith("/login"):
        return request.application_url + "/"
    return request.application_url + came_from


def page(request, template, data, status=200):
    response = render_to_response(TEMPLATES + template, data, request=request)
    response.status_int = status
    return response


@view_config(context=ArchiveRoot, name="login", request_method="GET")
def login_form(request):
    if request.identity is not None and "came_from" not in request.params:
        return HTTPSeeOther(location=request.application_url + "/")
    return page(request, "login.jinja2", {"came_from": request.params.get("came_from", ""),
                                          "login": "", "message": ""})


@view_config(context=ArchiveRoot, name="login", request_method="POST", require_csrf=False)
def login_submit(request):
    # checked here, not by the default options: a browser posting its first
    # form may have no session cookie yet, and must still show the token
    check_csrf_token(request)
    login = request.POST.get("login", "").strip().lower()
    attempt = sign_in(request.context, login, request.POST.get("password", ""),
                      registry=request.registry, request=request)
    came_from = request.POST.get("came_from", "")
    if attempt.person is None:
        # returned, not raised: the failure counter commits with its audit entry
        return page(request, "login.jinja2", {"came_from": came_from, "login": login,
                                              "message": attempt.message})
    headers = remember(request, attempt.person.login)
    return HTTPSeeOther(location=safe_target(request, came_from), headers=headers)


@view_config(context=ArchiveRoot, name="logout", request_method="GET")
def logout_form(request):
    return page(request, "logout.jinja2", {})


@view_config(context=ArchiveRoot, name="logout", request_method="POST")
def logout_submit(request):
    person = request.identity
    if person is not None and hasattr(person, "login"):
        sign_out(request.context, person, registry=request.registry, request=request)
    headers = forget(request)
    return HTTPSeeOther(location=request.application_url + "/login", headers=headers)


@view_config(context=ArchiveRoot, name="setup", request_method="GET")
def setup_form(request):
    person = find_by_setup(request.context, request.params.get("token"))
    return page(request, "setup.jinja2", {"person": person, "message": "",
                                          "token": request.params.get("token", "")},
                status=200 if person else 404)


@view_config(context=ArchiveRoot, name="setup", request_method="POST", require_csrf=False)
def setup_submit(request):
    check_csrf_token(request)
    token = request.POST.get("token", "")
    person = find_by_setup(request.context, token)
    if person is None:
        return page(request, "setup.jinja2", {"person": None, "message": "", "token": ""},
                    status=404)
    password = request.POST.get("password", "")
    if password != request.POST.get("confirm", ""):
        return page(request, "setup.jinja2", {"person": person, "token": token,
                                              "message": "Hai mật khẩu không khớp."})
    try:
        set_password(request.context, person, password, registry=request.registry,
                     request=request, actor=person)
    except ArchiveError as exc:
        return page(request, "setup.jinja2", {"person": person, "token": token,
                                              "message": exc.message})
    return HTTPSeeOther(location=request.application_url + "/login")
