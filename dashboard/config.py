"""Configuration: one dataclass, read from GRIDCMD_* environment variables, overridable per test."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from dashboard.domain import MAX_REPORT_AGE, AreaClass
from dashboard.network.judge import Rules
from dashboard.network.etr import EtrRule
from dashboard.notify.channels import NotifySpecError, parse_customer_notifiers, parse_notifiers
from dashboard.notify.customer_rules import CustomerRule
from dashboard.notify.port import Notifier
from dashboard.notify.rules import NoticeRule
from dashboard.notify.worker import RetryRule
from dashboard.services.callcenter import ServiceLevelRule
from dashboard.time_limits import TimeLimits
from dashboard.tickets.holidays import load_calendar
from dashboard.tickets.limits import TicketRules, parse_kind_limits


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise SystemExit(f"{name} must be a number, not {value!r}") from None
    if not 0 < number < float("inf"):
        raise SystemExit(f"{name} must be a positive number, not {value!r}")
    return number


def _env_days(name: str, default: int) -> int:
    """A whole number of days, 0 allowed (off)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise SystemExit(f"{name} must be a whole number of days (0: none), not {value!r}")
    return int(value)


def _env_minutes(name: str, default: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    """`urban=45,rural=90,remote=120` (minutes per area class); unset keeps the commitments' defaults."""
    value = os.environ.get(name)
    if not value:
        return default
    out = dict(default)
    for part in filter(None, (p.strip() for p in value.split(","))):
        area, _, minutes = part.partition("=")
        if area.strip() not in out:
            raise SystemExit(f"{name}: unknown area class {area!r} (urban, rural, remote)")
        try:
            out[area.strip()] = float(minutes)
        except ValueError:
            raise SystemExit(f"{name}: {minutes!r} is not a number of minutes") from None
    return tuple(out.items())


def _env_levels(name: str, default: tuple[float, ...]) -> tuple[float, ...]:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        levels = tuple(sorted(float(v) for v in value.split(",") if v.strip()))
    except ValueError:
        raise SystemExit(f"{name} must be fractions of the limit, like 0.5,0.75,0.9,1.0") from None
    if not levels or not all(0 < v <= 1 for v in levels):
        raise SystemExit(f"{name} must be fractions between 0 and 1")
    return levels


def _env_notify(name: str, parse=parse_notifiers) -> str:
    value = os.environ.get(name, "").strip()
    try:
        parse(value)  # checked at start: a typo must not wait for the first outage to show
    except NotifySpecError as exc:
        raise SystemExit(f"{name}: {exc}") from None
    return value


def _env_limit(name: str, default: str) -> str:
    """A rate limit such as `60 per minute` or `100/hour`, checked at start."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    from limits import parse  # the rate-limit library's own notation
    try:
        parse(value)
    except ValueError:
        raise SystemExit(f"{name} must be a rate such as '60 per minute', not {value!r}") from None
    return value


def _env_customer_max(name: str, default: int) -> int:
    value = int(_env_float(name, default))
    if value < 2:
        raise SystemExit(f"{name} must be at least 2: the first message and "
                         "\"power is back\", whose slot is always kept")
    return value


def _default_db_url() -> str:
    return f"sqlite:///{Path('var') / 'gridcommand.db'}"


@dataclass(frozen=True)
class Config:
    database_url: str = field(default_factory=_default_db_url)
    redis_url: str | None = None
    secret_key: str = ""
    api_tokens: tuple[tuple[str, str], ...] = ()  # (token, role) pairs from GRIDCMD_API_TOKENS
    host: str = "127.0.0.1"
    port: int = 8050
    demo: bool = False
    # The demo's generated history (docs/history.md): days before yesterday filled on its first start, in the
    # background; 0 = none. The dataclass default is 0 so tests' apps never generate it; the environment's is 365.
    demo_history_days: int = 0
    center_name: str = "供电服务指挥中心"
    timezone: str = "Asia/Shanghai"
    grids_file: str | None = None  # None: the committed Beijing set
    flush_interval_s: float = 0.1  # minimum spacing of `update` pushes (leading-edge throttle)
    max_body_bytes: int = 2 * 1024 * 1024
    max_batch_items: int = 1000
    max_report_age: timedelta = MAX_REPORT_AGE  # older fault reports are 422 on the live API
    # Reliability (docs/figures.md): interruptions longer than this are sustained (IEEE 1366: 5 min); the major
    # event days' threshold learns from this many days of daily SAIDI (IEEE 1366: five years).
    sustained_min: float = 5.0
    med_history_days: int = 5 * 365 + 1
    # Failed sign-ins allowed per user name and per address (a center's PCs each have their own; behind a proxy
    # set proxy_hops so the address is the browser's, not the proxy's).
    login_limit_user: str = "10 per 15 minutes"  # one name from one address
    login_limit_user_any: str = "50 per 15 minutes"  # one name from anywhere
    login_limit_address: str = "30 per 15 minutes"  # one address, any names (also kiosk token guesses)
    cookie_secure: bool = False  # served behind TLS: cookies only over HTTPS, and HSTS
    proxy_hops: int = 0  # reverse proxies in front that set X-Forwarded-For/-Proto/-Host
    trusted_origins: tuple[str, ...] = ()  # other origins people's browsers may write from (scheme://host:port)
    # The public outage notices (docs/public-outages.md): each process builds them at most once per public_cache_s;
    # each client address may ask public_limit times (feed and page apart); planned outages shown this far ahead.
    public_cache_s: float = 15
    public_limit: str = "60 per minute"
    public_upcoming_days: float = 7
    escalation_levels: tuple[float, ...] = (0.5, 0.75, 0.9, 1.0)  # 催办 thresholds, fractions of the running limit
    arrival_limits_min: tuple[tuple[str, float], ...] = (("urban", 45), ("rural", 90), ("remote", 120))
    restore_limits_min: tuple[tuple[str, float], ...] = (("urban", 180), ("rural", 240), ("remote", 240))
    # 回访 (docs/callbacks.md): a callback task is due this many hours after the order is restored.
    callback_window_h: float = 24
    escalation_sweep_s: float = 2.0  # how often the server moves orders up their 催办 levels
    simulator_speed: float = 1.0
    # 研判 (docs/network.md): calls under one transformer within the window predict it out; predicted devices
    # (or this share of customers calling) under one parent move the prediction up; a call with no transformer
    # or known customer is put under the nearest transformer of its grid within this distance.
    predict_calls: int = 2
    predict_window_min: float = 30
    roll_up_devices: int = 2
    roll_up_share: float = 0.3
    nearest_transformer_m: float = 500
    etr_default_min: float = 120  # an outage with no history of restorations like it
    etr_history: int = 20  # ETR: the median of the last N restorations of the same device kind, cause, area
    # Notices (docs/notifications.md): the notifiers (GRIDCMD_NOTIFY; none: the log), tries before a notice is dead,
    # the first retry's wait (doubled after each failure, at most notify_backoff_max_s), each send's timeout, the
    # ETR move worth telling again, and how often the worker looks for due notices when nothing woke it.
    notify: str = ""
    notify_tries: int = 10
    notify_backoff_s: float = 10
    notify_backoff_max_s: float = 1800
    notify_timeout_s: float = 5
    notify_etr_change_min: float = 30
    notify_poll_s: float = 2.0
    # Service tickets (docs/tickets.md): limits by kind, `complaint=24h/4wd,…` (h clock hours, d days, wd working
    # days; kinds not named keep the defaults), and the holiday calendar file (CSV or JSON; none: weekends off).
    ticket_limits: str = ""
    holidays_file: str | None = None
    # Customers (docs/notifications.md, "Customers told"): their notifiers (GRIDCMD_NOTIFY_CUSTOMERS: the SMS
    # gateway's webhook; none: the log), recipients per notice, and messages per customer and outage.
    notify_customers: str = ""
    notify_customer_batch: int = 100
    notify_customer_max: int = 3
    # The hotline (docs/figures.md, "Call center"): answered within sl_target_s counts in the service level,
    # hang-ups quicker than short_abandon_s are left out of it; live staffing reads the trailing window.
    sl_target_s: float = 20
    short_abandon_s: float = 5
    staffing_window_min: float = 30
    testing: bool = False

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        env = os.environ
        tokens = []
        for item in filter(None, (p.strip() for p in env.get("GRIDCMD_API_TOKENS", "").split(","))):
            token, _, role = item.rpartition(":")
            if token and role:
                tokens.append((token, role))
        values = dict(
            database_url=env.get("GRIDCMD_DATABASE_URL") or _default_db_url(),
            redis_url=env.get("GRIDCMD_REDIS_URL") or None,
            secret_key=env.get("GRIDCMD_SECRET_KEY", ""),
            api_tokens=tuple(tokens),
            host=env.get("GRIDCMD_HOST", "127.0.0.1"),
            port=int(env.get("GRIDCMD_PORT", "8050")),
            demo=_env_bool("GRIDCMD_DEMO", False),
            demo_history_days=_env_days("GRIDCMD_DEMO_HISTORY_DAYS", 365),
            grids_file=env.get("GRIDCMD_GRIDS_FILE") or None,
            simulator_speed=_env_float("GRIDCMD_SIMULATOR_SPEED", 1.0),
            predict_calls=int(_env_float("GRIDCMD_PREDICT_CALLS", cls.predict_calls)),
            predict_window_min=_env_float("GRIDCMD_PREDICT_WINDOW_MIN", cls.predict_window_min),
            roll_up_devices=int(_env_float("GRIDCMD_ROLL_UP_DEVICES", cls.roll_up_devices)),
            roll_up_share=_env_float("GRIDCMD_ROLL_UP_SHARE", cls.roll_up_share),
            nearest_transformer_m=_env_float("GRIDCMD_NEAREST_TRANSFORMER_M", cls.nearest_transformer_m),
            etr_default_min=_env_float("GRIDCMD_ETR_DEFAULT_MIN", cls.etr_default_min),
            etr_history=int(_env_float("GRIDCMD_ETR_HISTORY", cls.etr_history)),
            max_report_age=timedelta(days=_env_float("GRIDCMD_MAX_REPORT_AGE_DAYS", MAX_REPORT_AGE.days)),
            sustained_min=_env_float("GRIDCMD_SUSTAINED_MIN", cls.sustained_min),
            med_history_days=int(_env_float("GRIDCMD_MED_HISTORY_DAYS", cls.med_history_days)),
            arrival_limits_min=_env_minutes("GRIDCMD_ARRIVAL_LIMITS_MIN", cls.arrival_limits_min),
            restore_limits_min=_env_minutes("GRIDCMD_RESTORE_LIMITS_MIN", cls.restore_limits_min),
            escalation_levels=_env_levels("GRIDCMD_ESCALATION_LEVELS", cls.escalation_levels),
            callback_window_h=_env_float("GRIDCMD_CALLBACK_WINDOW_H", cls.callback_window_h),
            notify=_env_notify("GRIDCMD_NOTIFY"),
            ticket_limits=env.get("GRIDCMD_TICKET_LIMITS", ""),
            holidays_file=env.get("GRIDCMD_HOLIDAYS_FILE") or None,
            notify_tries=int(_env_float("GRIDCMD_NOTIFY_TRIES", cls.notify_tries)),
            notify_backoff_s=_env_float("GRIDCMD_NOTIFY_BACKOFF_S", cls.notify_backoff_s),
            notify_backoff_max_s=_env_float("GRIDCMD_NOTIFY_BACKOFF_MAX_S", cls.notify_backoff_max_s),
            notify_timeout_s=_env_float("GRIDCMD_NOTIFY_TIMEOUT_S", cls.notify_timeout_s),
            notify_etr_change_min=_env_float("GRIDCMD_NOTIFY_ETR_CHANGE_MIN", cls.notify_etr_change_min),
            notify_customers=_env_notify("GRIDCMD_NOTIFY_CUSTOMERS", parse_customer_notifiers),
            notify_customer_batch=int(_env_float("GRIDCMD_NOTIFY_CUSTOMER_BATCH", cls.notify_customer_batch)),
            notify_customer_max=_env_customer_max("GRIDCMD_NOTIFY_CUSTOMER_MAX", cls.notify_customer_max),
            sl_target_s=_env_float("GRIDCMD_SL_TARGET_S", cls.sl_target_s),
            short_abandon_s=_env_float("GRIDCMD_SHORT_ABANDON_S", cls.short_abandon_s),
            staffing_window_min=_env_float("GRIDCMD_STAFFING_WINDOW_MIN", cls.staffing_window_min),
            cookie_secure=_env_bool("GRIDCMD_COOKIE_SECURE", False),
            proxy_hops=int(env.get("GRIDCMD_PROXY_HOPS", "0") or 0),
            public_cache_s=_env_float("GRIDCMD_PUBLIC_CACHE_S", cls.public_cache_s),
            public_limit=_env_limit("GRIDCMD_PUBLIC_LIMIT", cls.public_limit),
            public_upcoming_days=_env_float("GRIDCMD_PUBLIC_UPCOMING_DAYS", cls.public_upcoming_days),
            trusted_origins=tuple(o.strip().rstrip("/") for o in env.get("GRIDCMD_TRUSTED_ORIGINS", "").split(",")
                                  if o.strip()),
        )
        values.update(overrides)
        return cls(**values)

    def time_limits(self) -> TimeLimits:
        return TimeLimits(arrival={AreaClass(a): timedelta(minutes=m) for a, m in self.arrival_limits_min},
                          restore={AreaClass(a): timedelta(minutes=m) for a, m in self.restore_limits_min},
                          thresholds=tuple(self.escalation_levels),
                          callback_window=timedelta(hours=max(0.0, self.callback_window_h)))

    def ticket_rules(self) -> TicketRules:
        """The tickets' limits and working-day calendar; a bad setting or calendar file stops the start, named."""
        try:
            return TicketRules(calendar=load_calendar(self.holidays_file, self.timezone),
                               limits=parse_kind_limits(self.ticket_limits), thresholds=tuple(self.escalation_levels))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"GRIDCMD_TICKET_LIMITS / GRIDCMD_HOLIDAYS_FILE: {exc}") from None

    def service_level_rule(self) -> ServiceLevelRule:
        return ServiceLevelRule(target_s=self.sl_target_s, short_abandon_s=self.short_abandon_s,
                                timezone=self.timezone, staffing_window_min=self.staffing_window_min)

    def judging_rules(self) -> Rules:
        return Rules(calls_to_predict=max(1, self.predict_calls), window=timedelta(minutes=self.predict_window_min),
                     devices_to_roll_up=max(1, self.roll_up_devices), share_to_roll_up=min(1.0, self.roll_up_share),
                     nearest_km=self.nearest_transformer_m / 1000)

    def etr_rule(self) -> EtrRule:
        return EtrRule(default=timedelta(minutes=self.etr_default_min), history=max(1, self.etr_history))

    def notifiers(self) -> list[Notifier]:
        return parse_notifiers(self.notify, self.notify_timeout_s)

    def notice_rule(self) -> NoticeRule:
        return NoticeRule(etr_change=timedelta(minutes=self.notify_etr_change_min), timezone=self.timezone)

    def customer_notifiers(self) -> list[Notifier]:
        return parse_customer_notifiers(self.notify_customers, self.notify_timeout_s)

    def customer_rule(self) -> CustomerRule:
        return CustomerRule(batch=max(1, self.notify_customer_batch), per_outage=max(2, self.notify_customer_max),
                            etr_change=timedelta(minutes=self.notify_etr_change_min), timezone=self.timezone)

    def retry_rule(self) -> RetryRule:
        return RetryRule(tries=max(1, self.notify_tries), first=timedelta(seconds=self.notify_backoff_s),
                         longest=timedelta(seconds=max(self.notify_backoff_s, self.notify_backoff_max_s)))

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)

    def effective_secret_key(self) -> str:
        # A random key per process logs everyone out at restart; fine for a demo, set GRIDCMD_SECRET_KEY in prod.
        return self.secret_key or secrets.token_hex(32)
