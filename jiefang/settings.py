"""Settings for jiefang, read from the environment with safe production defaults.

Environment: SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL.
"""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

# openpyxl switches to lxml whenever it is installed (python-docx needs it for the Word
# documents). The workbooks are written and read, tested and benchmarked on openpyxl's own
# standard-library XML path; keep them there unless the environment says otherwise.
os.environ.setdefault("OPENPYXL_LXML", "False")

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Without SECRET_KEY the management commands still run (migrations, checks), on a key that
# `check --deploy` reports; the WSGI app, which serves users, refuses to start (jiefang/wsgi.py).
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SECRET_KEY"))
SECRET_KEY = (
    os.environ.get("SECRET_KEY") or "django-insecure-local-development-key-not-for-production"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "projects",
]

MIDDLEWARE = [
    # The balancer's health check, answered before sessions and login (see its docstring).
    "projects.operations.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "jiefang.urls"
WSGI_APPLICATION = "jiefang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "projects.reminders.context.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request uses it, so that after a database
        # restart each worker reconnects instead of answering its first request with a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The progress engine's many small subqueries make PostgreSQL's cost estimate high enough
    # to start the JIT compiler, which then costs more than the query itself.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several app workers share the file: readers go on while one writes (WAL), a writer takes
    # its lock when its transaction begins, and waits up to 20 s for another rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Tests use a file too: the browser tests' live server then gives each request thread a
    # connection of its own, as in production, instead of sharing one in-memory database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"jiefang-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login protection: 5 failures lock that username from that address for 30 minutes, so
# a colleague on the same office network is not locked out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind the reverse proxy every request comes from the proxy's address, so the client's is
# read from X-Forwarded-For, but only on a request whose peer is one of the proxy's own
# addresses (JIEFANG_TRUSTED_PROXIES, addresses or networks): the client is the right-most
# address there that is not a trusted proxy (projects/operations/client_ip.py). From any other
# peer the header is ignored, so a client that reaches gunicorn directly cannot pick its address.
JIEFANG_TRUSTED_PROXIES = env_list(
    "JIEFANG_TRUSTED_PROXIES", "127.0.0.1,::1" if env_bool("BEHIND_HTTPS_PROXY") else ""
)
AXES_CLIENT_IP_CALLABLE = "projects.operations.client_ip.client_ip"
# What axes stores of a log-in name is cut to its column (varchar(255)): a longer name
# (refused by the log-in form anyway) must not fail the insert.
AXES_USERNAME_CALLABLE = "projects.operations.client_ip.login_name"

# Sessions live in the database and end after 30 idle minutes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploads (imported workbooks) go to a configurable directory, shared by all app servers.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# A file cache beside the uploads (on the same shared disk), so that every app server sees
# it: the import page polls the progress of a check that another worker may be running.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(os.environ.get("CACHE_DIR", MEDIA_ROOT.parent / "cache")),
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, cache-busting static files served by WhiteNoise; collectstatic builds them.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG and not env_bool("JIEFANG_TESTING"))
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (development, tests) WhiteNoise serves straight from the app.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("JIEFANG_TESTING")
if WHITENOISE_USE_FINDERS and "STATIC_ROOT" not in os.environ and not STATIC_ROOT.exists():
    STATIC_ROOT = None

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Production hardening, switched on by the environment (see README).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from this server, nothing from another host,
# no inline script or style unless it carries the request's nonce ({{ request.csp_nonce }}).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The read-only API for superiors' systems (projects/api/, docs/api.md): JSON only, a token
# (Authorization: Bearer …) or the session, errors with a Chinese `detail`.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "projects.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["projects.api.permissions.ReadsTheRegister"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["projects.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("JIEFANG_API_RATE", "3600/hour")},
    "EXCEPTION_HANDLER": "projects.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
# Rows per page of the API's lists: asked for with ?page_size=, never more than the maximum.
JIEFANG_API_PAGE_SIZE = 100
JIEFANG_API_MAX_PAGE_SIZE = 500
SPECTACULAR_SETTINGS = {
    "TITLE": "解放区重点项目 API",
    "DESCRIPTION": "上级系统读取重点项目台账、进度、问题和例会的只读接口（金额单位：万元）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and Redoc from this server (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.Project.Status",
        "ProblemStatusEnum": "projects.models.Problem.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# The district this installation serves, shown in titles and exports.
JIEFANG_DISTRICT = os.environ.get("JIEFANG_DISTRICT", "解放区")
JIEFANG_REPORTING_UNIT = os.environ.get("JIEFANG_REPORTING_UNIT", "解放区“四区联建”办公室")
# The 公文 the office issues (会议纪要, 月度通报): the prefix of their 发文字号 (解发改纪〔2026〕3号
# for minutes, 解发改通〔2026〕3号 for bulletins) and the 抄送 line of their 版记.
JIEFANG_DOCUMENT_PREFIX = os.environ.get("JIEFANG_DOCUMENT_PREFIX", "解发改")
JIEFANG_DOCUMENT_COPY_TO = os.environ.get(
    "JIEFANG_DOCUMENT_COPY_TO", "区委办公室，区人大常委会办公室，区政府办公室，区政协办公室"
)

# The map (挂图作战) draws outlines on a plain background, asking no server outside. An
# intranet tile server (e.g. a 天地图 mirror) can lay a base layer under them: its URL template
# ({z}/{x}/{y}, optionally {s}), allowed by the map page's Content-Security-Policy only, and
# its 审图号 shown bottom-left (docs/deployment.md).
JIEFANG_MAP_TILES = os.environ.get("JIEFANG_MAP_TILES", "").strip()
JIEFANG_MAP_ATTRIBUTION = os.environ.get("JIEFANG_MAP_ATTRIBUTION", "").strip()
# Or a local PMTiles file of raster tiles (PNG, JPEG or WebP), served by the app itself to its
# signed-in users (byte ranges, /map/tiles.pmtiles) and read by the vendored pmtiles.js: the
# path of the file on this server. It takes the place of JIEFANG_MAP_TILES when both are set.
JIEFANG_MAP_PMTILES = os.environ.get("JIEFANG_MAP_PMTILES", "").strip()
# The most pins one answer of /map/projects.geojson holds: above it, the projects of the map's
# area come as numbered clusters (per zone, and per cell of an 8 × 8 grid of the area asked
# for), which the map zooms into when clicked.
JIEFANG_MAP_PINS = int(os.environ.get("JIEFANG_MAP_PINS", "2000"))

# Pace light thresholds (DOMAIN.md): gap in percentage points, delay in days.
JIEFANG_LIGHT_YELLOW_GAP = 10
JIEFANG_LIGHT_RED_GAP = 30
JIEFANG_LIGHT_RED_DELAY_DAYS = 30
# 开工率 and 竣工率 targets (%) by the end of each quarter, for a region that has set none.
JIEFANG_START_TARGETS = (30, 60, 85, 100)
# The monthly ranking (排名通报): the weight of each measure (0 leaves it out; districts copy
# theirs from their 考核办法), and how many stand on the 红榜 and the 黑榜.
JIEFANG_RANKING_WEIGHTS = {"gap": 40, "lights": 30, "reports": 20, "problems": 10}
JIEFANG_RANKING_TOP = 3
# The meeting packet prints the latest site photo of each project beside its 形象进度.
JIEFANG_PACKET_PHOTOS = env_bool("JIEFANG_PACKET_PHOTOS", True)

# Reminders (催报, 督办; projects/reminders/). Reports of month N are due on this working day
# of month N+1 (working days from chinese-calendar).
JIEFANG_REPORT_DUE_WORKDAY = int(os.environ.get("JIEFANG_REPORT_DUE_WORKDAY", "3"))
# A district's month is due at the level above (报送) on this working day of the next month.
JIEFANG_SUBMISSION_DUE_WORKDAYS = int(os.environ.get("JIEFANG_SUBMISSION_DUE_WORKDAYS", "5"))
# The address users open the tracker at, for the links in e-mails and group-robot posts.
JIEFANG_SITE_URL = os.environ.get("JIEFANG_SITE_URL", "").rstrip("/")
# A digest writes out this many reminders; each kind with more ends in "等N项" and a link.
JIEFANG_DIGEST_LINES = int(os.environ.get("JIEFANG_DIGEST_LINES", "20"))
# A group robot refuses a longer text (企业微信: 2,048 bytes of UTF-8; 钉钉 allows more).
JIEFANG_WEBHOOK_TEXT_BYTES = int(os.environ.get("JIEFANG_WEBHOOK_TEXT_BYTES", "2048"))
# A copy by e-mail or robot that fails is tried this many times in all, the waits between
# growing from this many minutes (0, 10, 30, 70 …); one that no try can mend (a refused
# address, a robot answering 404) is not tried again.
JIEFANG_DELIVERY_ATTEMPTS = int(os.environ.get("JIEFANG_DELIVERY_ATTEMPTS", "5"))
JIEFANG_DELIVERY_RETRY_MINUTES = int(os.environ.get("JIEFANG_DELIVERY_RETRY_MINUTES", "10"))

# E-mail through Django's SMTP backend, with Django's own setting names. Reminders are not
# e-mailed while EMAIL_HOST is unset; the in-app notifications always are.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jiefang@localhost")

# Group-robot webhooks (docs/deployment.md, "Webhook rules"). Only http/https; never loopback,
# link-local, unspecified or multicast addresses; internal (private) addresses only for the
# hosts listed here, comma-separated (an intranet robot). A post is cut after
# JIEFANG_WEBHOOK_TIMEOUT seconds in all, whatever the server does.
JIEFANG_WEBHOOK_ALLOWED_HOSTS = [
    host.strip().lower()
    for host in os.environ.get("JIEFANG_WEBHOOK_ALLOWED_HOSTS", "").split(",")
    if host.strip()
]
JIEFANG_WEBHOOK_TIMEOUT = int(os.environ.get("JIEFANG_WEBHOOK_TIMEOUT", "10"))
# The test suite's own robots listen on loopback: the tests list their exact "127.0.0.1:port"
# here. Never read from the environment, and ignored unless JIEFANG_TESTING is set.
JIEFANG_TESTING = env_bool("JIEFANG_TESTING")
JIEFANG_WEBHOOK_TEST_SERVERS = ()

# Background work (large exports) on Django's task framework (the django-tasks backport of
# Django 6's django.tasks): tasks are rows in the database, run by `manage.py db_worker`
# (beside runserver in `make run`, a systemd unit in production: docs/deployment.md). Several
# workers on several servers take each task once. A city that outgrows it can point
# BACKEND at an RQ or Celery backend without changing the tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Exports (projects/exports/): a progress workbook of more projects than this is built in the
# background by a task (`manage.py db_worker`) and kept 24 hours for whoever asked for it.
JIEFANG_BACKGROUND_EXPORT_OVER = int(os.environ.get("JIEFANG_BACKGROUND_EXPORT_OVER", "5000"))

# A backup is unpacked only if it fits: at most this many bytes (and the room on the disks).
JIEFANG_RESTORE_MAX_BYTES = int(os.environ.get("JIEFANG_RESTORE_MAX_BYTES", str(20 * 1024**3)))
# A user may have this many exports waiting or being built (asking again for one of them
# returns it); finished workbooks take at most this many bytes together, oldest deleted first.
# The 月度通报 and 会议纪要 name at most this many red projects, overdue problems and late
# officials (the worst first) and count the rest; a meeting of at most
# JIEFANG_DOCUMENT_FULL_LIST projects lists every project in its minutes, a larger one each
# official's worst red projects, up to JIEFANG_DOCUMENT_NAMES_PER_OFFICIAL. A document of more than JIEFANG_BACKGROUND_DOCUMENT_OVER projects is
# built in the background, as a large export.
JIEFANG_DOCUMENT_NAMES = int(os.environ.get("JIEFANG_DOCUMENT_NAMES", "30"))
JIEFANG_DOCUMENT_FULL_LIST = int(os.environ.get("JIEFANG_DOCUMENT_FULL_LIST", "300"))
JIEFANG_DOCUMENT_NAMES_PER_OFFICIAL = int(
    os.environ.get("JIEFANG_DOCUMENT_NAMES_PER_OFFICIAL", "5")
)
JIEFANG_BACKGROUND_DOCUMENT_OVER = int(os.environ.get("JIEFANG_BACKGROUND_DOCUMENT_OVER", "5000"))
JIEFANG_EXPORTS_WAITING_PER_USER = int(os.environ.get("JIEFANG_EXPORTS_WAITING_PER_USER", "3"))
JIEFANG_EXPORTS_MAX_BYTES = int(os.environ.get("JIEFANG_EXPORTS_MAX_BYTES", str(2 * 1024**3)))
