"""The dashboard server's login for clients (``socialkpi dashboard --clients FILE``): a
Jupyter Server identity provider Voila loads by name
(``--Voila.identity_provider_class=socialkpi.dashboard.login.ClientLogin``).

A request is let in with a client's token (``?token=``, ``Authorization: token ...`` or the
login form), or with the signed cookie a token login sets; the client must still be in the
clients file (:mod:`socialkpi.dashboard.access`), so removing a client ends its sessions. On
every request the server drops any ``X-Socialkpi-Client`` header the browser sent and sets
its own, naming the client it let in: Voila passes it to the kernel it starts
(``VoilaConfiguration.http_header_envs``), and the kernel offers only that client's brands.
"""

from __future__ import annotations

import html

from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.auth.login import LoginFormHandler

from socialkpi.dashboard import access
from socialkpi.words.i18n import t


class ClientLoginPage(LoginFormHandler):
    """The login form a client sees without a valid link, in one language (``lang=en`` in
    the page it asked for, else zh-TW), its words from the catalogue; nothing loads from the
    network."""

    def _render(self, message=None):
        asked = self.get_argument("next", default="") + "&" + self.request.query
        lang = "en" if "lang=en" in asked else "zh-TW"
        action = (
            f"{self.base_url}login?next={html.escape(self.get_argument('next', ''), quote=True)}"
        )
        failed = (
            f"<p class='failed' role='alert'>{html.escape(t('login.failed', lang))}</p>"
            if message
            else ""
        )
        self.write(
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(t('login.title', lang))}</title><style>"
            "body{font-family:'Noto Sans CJK TC','PingFang TC','Microsoft JhengHei',sans-serif;"
            "max-width:420px;margin:80px auto;color:#1a202c}h1{color:#1a365d;font-size:22px}"
            "input{font-size:16px;padding:6px;width:100%;box-sizing:border-box;margin:8px 0}"
            "button{font-size:16px;padding:6px 18px;background:#2b6cb0;color:#fff;border:0;"
            "border-radius:4px}.failed{color:#c53030}</style></head><body>"
            f"<h1>{html.escape(t('login.title', lang))}</h1>"
            f"<p>{html.escape(t('login.prompt', lang))}</p>{failed}"
            f'<form action="{action}" method="post">{self.xsrf_form_html()}'
            f'<input type="password" name="password" id="password_input" '
            f'aria-label="{html.escape(t("login.field", lang), quote=True)}" autofocus>'
            f'<button type="submit" id="login_submit">{html.escape(t("login.button", lang))}'
            "</button></form></body></html>"
        )


class ClientLogin(IdentityProvider):
    """Tokens from the clients file in ``$SOCIALKPI_CLIENTS``; one user per client."""

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    def get_handlers(self) -> list:
        """The login and logout pages, the login form in the viewer's language."""
        return [(r"/login", ClientLoginPage), (r"/logout", self.logout_handler_class)]

    def _clients(self) -> access.ClientsFile:
        import os

        return access.load(os.environ[access.CLIENTS_ENV])

    def _user(self, client_id: str | None) -> User | None:
        if client_id is None:
            return None
        client = self._clients().clients.get(client_id)
        if client is None:
            return None
        return User(username=client_id, name=client.name or client_id)

    async def get_user(self, handler) -> User | None:
        user = await self._get_user(handler)
        headers = handler.request.headers
        if access.HEADER in headers:
            del headers[access.HEADER]  # a browser's own claim counts for nothing
        if user is not None:
            headers[access.HEADER] = user.username
        return user

    async def get_user_token(self, handler) -> User | None:
        token = self.get_token(handler)
        if not token:
            return None
        user = self._user(access.client_for_token(self._clients(), token))
        if user is None:
            self.log.warning(
                "a dashboard token that no client has (from %s)", handler.request.remote_ip
            )
        return user

    def user_from_cookie(self, cookie_value: str) -> User | None:
        user = super().user_from_cookie(cookie_value)
        return self._user(user.username) if user is not None else None

    def process_login_form(self, handler) -> User | None:
        typed = handler.get_argument("password", default="")
        return self._user(access.client_for_token(self._clients(), typed)) if typed else None
