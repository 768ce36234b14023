import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiraka.settings")
# A served app takes its settings from its environment alone, never from a development checkout's
# local.env: production refuses to start without a real SHIRAKA_SECRET_KEY.
os.environ["SHIRAKA_LOCAL_SETTINGS"] = ""
application = get_wsgi_application()
