"""What every request passes before it reaches a route: Host, Origin, CSRF token, access token,
body size, and the security headers on every answer.

- **Host**: only the names the server was started for (DNS rebinding: a page on another site whose
  name resolves to 127.0.0.1 sends its own Host, and is refused).
- **Changing requests** (anything but GET/HEAD): the Origin, when the browser sends one, must be
  ours, and the per-server CSRF token must come in the ``X-CSRF-Token`` header. Only our own
  script, served from this origin, reads the token (from the page's meta tag); another site cannot
  set the header without a CORS preflight, which is never granted.
- **Access token** (``--token``, required off loopback): ``?token=…`` once, which sets an HttpOnly,
  SameSite=Strict cookie; every request then needs the cookie.
- **Bodies** are capped: a declared Content-Length over the cap is refused at once, and a body sent
  without one is counted as it arrives and cut off at the cap.
- **Headers**: a CSP with no inline script or style (our script and stylesheet are static files),
  no framing, nosniff, no referrer.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_HEADER = "x-csrf-token"
CSRF_FAILED_HEADER = b"x-csrf-failed"
TOKEN_COOKIE = "drafting_token"
SAFE_METHODS = frozenset({"GET", "HEAD"})

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host header values a browser sends for this server."""
    names = set(LOOPBACK_NAMES) if is_loopback(host) else {host, *LOOPBACK_NAMES}
    if ":" in host and not host.startswith("["):
        names.add(f"[{host}]")
    return {f"{name}:{port}" for name in names} | ({*names} if port == 80 else set())


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Guard:
    """ASGI middleware: the checks above, then the app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: Iterable[str],
        csrf: str,
        token: str | None,
        max_body: int,
        secure_cookie: bool = False,
    ) -> None:
        self.app = app
        self.hosts = {h.lower() for h in hosts}
        self.origins = {f"http://{h}" for h in self.hosts} | {f"https://{h}" for h in self.hosts}
        self.csrf = csrf
        self.token = token
        self.max_body = max_body
        self.secure_cookie = secure_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        send = _with_headers(send)
        if headers.get("host", "").lower() not in self.hosts:
            await _plain(send, 421, "主机名不被允许：请从启动时显示的地址打开本页面。")
            return
        if self.token is not None:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            given = query.get("token")
            if given is not None and hmac.compare_digest(given, self.token):
                await self._set_cookie_and_redirect(scope, send, query)
                return
            cookie = SimpleCookie(headers.get("cookie", ""))
            held = cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else ""
            if not hmac.compare_digest(held, self.token):
                await _plain(send, 403, "需要访问令牌：请使用启动时显示的完整地址（含 ?token=…）打开。")
                return
        method = scope["method"].upper()
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() not in self.origins:
                await _plain(send, 403, "请求来自其他网站，已拒绝。")
                return
            if not hmac.compare_digest(headers.get(CSRF_HEADER, ""), self.csrf):
                # Marked, so that our page opened before a restart of the server can fetch the
                # new token (``GET /api/csrf``, readable by this origin only) and send it again.
                await _plain(
                    send,
                    403,
                    "请求缺少本页面的校验码（可能来自其他网站或已过期的页面），请刷新页面后重试。",
                    ((CSRF_FAILED_HEADER, b"1"),),
                )
                return
            declared = headers.get("content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
                await _plain(send, 413, _too_large(self.max_body))
                return
            receive = _capped(receive, self.max_body)
        await self.app(scope, receive, send)

    async def _set_cookie_and_redirect(self, scope: Scope, send: Send, query: dict[str, str]) -> None:
        rest = urlencode({k: v for k, v in query.items() if k != "token"})
        location = scope.get("path", "/") + (f"?{rest}" if rest else "")
        assert self.token is not None
        cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        if self.secure_cookie:
            cookie += "; Secure"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode())],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _too_large(limit: int) -> str:
    return f"上传的内容超过 {limit // (1024 * 1024)} MB 的上限，未处理。"


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, _too_large(limit))
        return message

    return counted


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sending


async def _plain(send: Send, status: int, text: str, extra: Iterable[tuple[bytes, bytes]] = ()) -> None:
    body = text.encode("utf-8")
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
