"""Settings shared by every environment; each value that varies comes from the environment."""

from pathlib import Path

import dj_database_url

from search.config import search_backends

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Writable data (SQLite file, uploads) lives outside the code's folders.
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", required=True)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "home",
    "markets",
    "directory",
    "members",
    "groupements",
    "subscriptions",
    "assistance",
    "prices",
    "billing",
    "alerts",
    "holders",
    "search",
    "opendata",
    "proconnect",
    "signatures",
    "simulations",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # The catalogue API (opendata): JSON only, so rest_framework stays out of INSTALLED_APPS,
    # whose French catalogue would replace Django's own messages ("adresse e-mail").
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "guardian",
    "axes",
    "django_tasks_db",  # the database task backend's table (production's queue)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.csp.SiteCSPMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The French 503 page while the database is unreachable (core/availability.py).
    "core.availability.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's site and routes from the shared cache (core/routing.py).
    "core.routing.RoutingMiddleware",
    # Holder accounts stay out of the member area (reads the user on those paths only).
    "holders.access.KeepHoldersOutMiddleware",
    # Last, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp, core/csp.py): scripts and styles from static/ only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# No avatars from gravatar.com in the admin: no staff email hash leaves the site (RGPD),
# and the policy above needs no third-party image host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A kept connection is checked before each request reuses it: a restarted server
        # costs the first request nothing.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or address before any password is checked. Both refuse
    # an account staff have not validated, whatever the login form (the member's, Wagtail's
    # /admin/login/), and end its session once it may no longer log in.
    "members.backends.LockoutBackend",
    "members.backends.MemberBackend",
    # A ProConnect identity proconnect.views has verified; same rule, same lockout.
    "proconnect.backends.ProConnectBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "members:login"
LOGIN_REDIRECT_URL = "subscriptions:dashboard"
LOGOUT_REDIRECT_URL = "/"

# Login attempts are limited per client address (django-axes): 5 failures lock that client
# out, for 15 minutes, then 30, 60… at each new lockout the same day
# (members.backends.lockout_cool_off). Never per account alone: a stranger who knows an
# address must not be able to lock its owner out. Each attempt expires on its own clock,
# so one client's cool-off never shortens another's.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = "members.backends.lockout_cool_off"
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "members.backends.attempted_username"
# Behind the TLS proxy (production), the client's address is read from X-Forwarded-For,
# only on requests that came from one of TRUSTED_PROXIES (core/proxy.py): one client's
# failures never lock out the proxy's address, that is everyone.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ())
AXES_CLIENT_IP_CALLABLE = "core.proxy.client_ip"

# django-guardian: no anonymous user row; object permissions are for members only.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Market documents live here, outside MEDIA_ROOT: they have no public URL and are only
# ever served through the document view, which checks who may read them.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private files on S3-compatible object storage when a bucket is given (core/storage.py):
# every app server then reads the same files. Credentials: S3_ACCESS_KEY_ID and
# S3_SECRET_ACCESS_KEY, or boto3's own (AWS_* variables, instance role).
if env("S3_BUCKET"):
    STORAGES["private"] = {
        "BACKEND": "core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL"),
            "region_name": env("S3_REGION"),
            "access_key": env("S3_ACCESS_KEY_ID"),
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "location": env("S3_PREFIX", ""),
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A groupement's spreadsheet: a few thousand rows weigh well under these.
GROUPEMENT_SPREADSHEET_MAX_BYTES = env_int("GROUPEMENT_SPREADSHEET_MAX_BYTES", 2 * 1024 * 1024)
GROUPEMENT_SPREADSHEET_MAX_ROWS = env_int("GROUPEMENT_SPREADSHEET_MAX_ROWS", 2000)

WAGTAIL_SITE_NAME = "CANUT"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_DOCUMENT_MODEL = "markets.MarketDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "zip", "csv"]
WAGTAILSEARCH_BACKENDS = search_backends(
    opensearch_url=env("OPENSEARCH_URL"),
    elasticsearch_url=env("ELASTICSEARCH_URL"),
    index_prefix=env("SEARCH_INDEX_PREFIX", "canut_"),
)
# After an engine error the public searches use the database for this many seconds (core.search).
SEARCH_ENGINE_RETRY_SECONDS = env_int("SEARCH_ENGINE_RETRY_SECONDS", 10)
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# One password reset for everyone, staff included: the members' one, which mails only
# accounts that may log in and is rate-limited (members.forms.auth.PasswordResetForm).
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Page slugs without accents ("telecoms-et-reseaux"): URLs people type and share by email.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# manage.py backup's dump format: dumpdata's JSON, tolerant of a deleted page's history (core/backup.py).
SERIALIZATION_MODULES = {"backup_json": "core.backup"}

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "CANUT <ne-pas-repondre@canut.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds; a hung server fails the attempt
# A message the server refuses for now is tried again after 1, 2, 4… minutes (core/emails.py).
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)
EMAIL_RETRY_DELAY = env_int("EMAIL_RETRY_DELAY", 60)  # seconds, doubled at each attempt
OPENDATA_API_HOURLY_LIMIT = env_int("OPENDATA_API_HOURLY_LIMIT", 3600)  # requests per client and hour on /api/v2/

CACHES = {
    "default": (
        {
            "BACKEND": "core.cache.ResilientRedisCache",  # a Redis outage reads as a miss
            "LOCATION": env("REDIS_URL"),
            # An unreachable Redis answers within a second instead of holding the request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Hourly limits (core.throttle) count where every worker sees the same count: the shared
# cache, else the database (a per-process memory cache would count per worker).
THROTTLE_STORE = env("THROTTLE_STORE", "cache" if env("REDIS_URL") else "database")
# With a shared cache, sessions are read from it and written through to the database.
if env("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Sites and page routes kept in the cache (core/routing.py): only where every worker shares it.
ROUTING_CACHE = env_bool("ROUTING_CACHE", bool(env("REDIS_URL")))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Members
# The public "API Recherche d'entreprises" (DINUM), asked when the directory has no match.
COMPANY_REGISTER_URL = env("COMPANY_REGISTER_URL", "https://recherche-entreprises.api.gouv.fr")
COMPANY_REGISTER_TIMEOUT = float(env("COMPANY_REGISTER_TIMEOUT", "3"))  # seconds
COMPANY_REGISTER_MAX_RESULTS = 25  # the API's own page limit
# A 429 asking to wait at most this long is waited for once; longer, the lookup gives up.
COMPANY_REGISTER_MAX_RETRY_WAIT = 2  # seconds
DIRECTORY_SEARCH_LIMIT = 20
# Personal webmail: a dotted entry matches that domain, a bare one the brand under any suffix.
PERSONAL_EMAIL_DOMAINS = env_list(
    "PERSONAL_EMAIL_DOMAINS",
    (
        "gmail googlemail yahoo ymail hotmail outlook aol gmx icloud protonmail yandex tutanota "
        "live.fr live.com msn.com me.com mac.com proton.me pm.me orange.fr wanadoo.fr free.fr sfr.fr neuf.fr "
        "laposte.net bbox.fr numericable.fr club-internet.fr aliceadsl.fr mail.com"
    ).split(),
)
# Absolute links in emails (activation, password reset) start with this.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", WAGTAILADMIN_BASE_URL)
# Where core.emails finds the Reply-To address editors set (read by name: core imports no app).
SITE_SETTINGS_MODEL = "home.SiteSettings"
AXES_LOCKOUT_TEMPLATE = "members/lockout.html"
# The link emailed at registration to confirm the address works this long (seconds).
EMAIL_CONFIRMATION_MAX_AGE = env_int("EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)
# Emails anyone can trigger without logging in (registration, password reset, confirmation
# link): at most this many per address, and requests per client address, per hour.
MEMBERS_EMAILS_PER_ADDRESS_HOURLY = env_int("MEMBERS_EMAILS_PER_ADDRESS_HOURLY", 3)
MEMBERS_REQUESTS_PER_CLIENT_HOURLY = env_int("MEMBERS_REQUESTS_PER_CLIENT_HOURLY", 20)

# ProConnect (proconnect/): off unless the three are set (docs/proconnect.md says how to
# register the portal, integration then production).
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_DISCOVERY_URL = env("PROCONNECT_DISCOVERY_URL", "")
PROCONNECT_SCOPES = env("PROCONNECT_SCOPES", "openid email given_name usual_name siret idp_id uid")
PROCONNECT_TIMEOUT = float(env("PROCONNECT_TIMEOUT", "5"))  # seconds, each call to ProConnect
if PROCONNECT_DISCOVERY_URL:
    # The sign-in button and the sign-out form are forms redirected to ProConnect.
    from urllib.parse import urlsplit

    _origin = urlsplit(PROCONNECT_DISCOVERY_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_origin.scheme}://{_origin.netloc}")
# Alerts (saved searches, digests, subscribers' alerts; alerts/)
ALERTS_MAX_SAVED_SEARCHES = env_int("ALERTS_MAX_SAVED_SEARCHES", 25)  # per account
ALERTS_PRICE_CHANGE_PERCENT = env_int("ALERTS_PRICE_CHANGE_PERCENT", 1)  # smaller moves are not told
ALERTS_MAX_PRICE_CHANGES = env_int("ALERTS_MAX_PRICE_CHANGES", 20000)  # price lines read per digest run
ALERTS_WEEKLY_DIGEST_WEEKDAY = env_int("ALERTS_WEEKLY_DIGEST_WEEKDAY", 1)  # ISO: 1 = Monday
ALERTS_CONVENTION_SENT_DAYS = env_int("ALERTS_CONVENTION_SENT_DAYS", 15)
ALERTS_CONVENTION_RECEIVED_DAYS = env_int("ALERTS_CONVENTION_RECEIVED_DAYS", 7)

# Assistance
# Shown in every help request's "Contexte applicatif" (set by the deployment: a tag or a commit).
PORTAL_VERSION = env("PORTAL_VERSION", "développement")
# A resolved request nobody answers is closed this many days later (manage.py close_resolved_requests).
ASSISTANCE_AUTO_CLOSE_DAYS = env_int("ASSISTANCE_AUTO_CLOSE_DAYS", 14)
# Screenshots and PDFs joined to one message: how many, how heavy each.
ASSISTANCE_ATTACHMENT_MAX_COUNT = env_int("ASSISTANCE_ATTACHMENT_MAX_COUNT", 3)
ASSISTANCE_ATTACHMENT_MAX_BYTES = env_int("ASSISTANCE_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
# A visitor's link to their request works this long after the email that carried it.
ASSISTANCE_LINK_MAX_AGE_DAYS = env_int("ASSISTANCE_LINK_MAX_AGE_DAYS", 90)
# Requests and messages one client (address, or account) and one email address may send per hour.
ASSISTANCE_HOURLY_LIMIT = env_int("ASSISTANCE_HOURLY_LIMIT", 5)

# Signatures (signatures/: returned conventions, the central's seal, "Vérifier une signature")
# A PDF to verify: this heavy at most, this many pages, read within this budget (a child process).
SIGNATURES_MAX_BYTES = env_int("SIGNATURES_MAX_BYTES", 8 * 1024 * 1024)
SIGNATURES_MAX_PAGES = env_int("SIGNATURES_MAX_PAGES", 200)
SIGNATURES_CPU_SECONDS = env_int("SIGNATURES_CPU_SECONDS", 3)
SIGNATURES_WALL_SECONDS = float(env("SIGNATURES_WALL_SECONDS", "6"))
SIGNATURES_MEMORY_BYTES = env_int("SIGNATURES_MEMORY_BYTES", 512 * 1024 * 1024)
# Public verifications per client (address, or account) per hour.
SIGNATURES_PUBLIC_HOURLY_LIMIT = env_int("SIGNATURES_PUBLIC_HOURLY_LIMIT", 20)
# The central's seal: a PKCS#12 file outside the repository and its password (environment only).
SIGNATURES_SEAL_PATH = env("SIGNATURES_SEAL_PATH", "")
SIGNATURES_SEAL_PASSWORD = env("SIGNATURES_SEAL_PASSWORD", "")
# An RFC 3161 timestamp server for the countersignature (unset: no timestamp).
SIGNATURES_TSA_URL = env("SIGNATURES_TSA_URL", "")
SIGNATURES_TSA_TIMEOUT = float(env("SIGNATURES_TSA_TIMEOUT", "10"))
# A trusted-list XML file `manage.py import_trusted_list` reads when given no file.
SIGNATURES_TRUSTED_LIST_PATH = env("SIGNATURES_TRUSTED_LIST_PATH", "")
# Billing
BILLING_FONT_DIR = env("BILLING_FONT_DIR", "/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
# Chorus Pro through PISTE: off unless the four credentials are set. CHORUS_PRO_ENV "sandbox"
# (PISTE's sandbox, Chorus Pro's qualification) or "production" picks the addresses.
_CHORUS_SANDBOX = env("CHORUS_PRO_ENV", "sandbox") != "production"
CHORUS_PRO = {
    "oauth_url": env(
        "CHORUS_PRO_OAUTH_URL",
        f"https://{'sandbox-' if _CHORUS_SANDBOX else ''}oauth.piste.gouv.fr/api/oauth/token",
    ),
    "api_url": env("CHORUS_PRO_API_URL", f"https://{'sandbox-' if _CHORUS_SANDBOX else ''}api.piste.gouv.fr"),
    "client_id": env("CHORUS_PRO_CLIENT_ID", ""),
    "client_secret": env("CHORUS_PRO_CLIENT_SECRET", ""),
    "login": env("CHORUS_PRO_LOGIN", ""),  # the technical account
    "password": env("CHORUS_PRO_PASSWORD", ""),
    "timeout": float(env("CHORUS_PRO_TIMEOUT", "30")),  # seconds; the body holds the PDF
    "retry_pause": 1,  # seconds before the one immediate retry
    "max_attempts": env_int("CHORUS_PRO_MAX_ATTEMPTS", 6),  # deposits, later ones delayed 10 min, doubled
}
