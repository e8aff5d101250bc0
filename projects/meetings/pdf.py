"""PDF output through WeasyPrint, with the Chinese fonts of the machine (fonts-noto-cjk).

Static files are read from disk, never over the network, so the PDF builds on an intranet
server with no internet and without calling back into the app.

One convention: every PDF has its own URL ending in `.pdf`, with its own URL name, beside
the print page it renders (meeting_pdf, official_pdf, problem_notice_pdf).
"""

import mimetypes
from pathlib import Path
from urllib.parse import quote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _


class PdfUnavailable(Exception):
    """WeasyPrint or its system libraries (Pango) are missing."""


def _static_file(url):
    """The app's file behind a /static/... URL, or None."""
    path = urlparse(url).path
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    return finders.find(path[len(prefix) :]) if path.startswith(prefix) else None


def _static_fetcher(weasyprint):
    """A WeasyPrint URL fetcher that serves /static/... from disk and refuses anything else."""

    class StaticFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            found = _static_file(url)
            if not found:
                raise ValueError(f"not a static file: {url}")
            mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, Path(found).read_bytes(), headers={"Content-Type": mime}
            )

    return StaticFetcher()


def pdf_response(template_name, context, request, filename):
    """The PDF inline in the browser, or a 503 that says what is missing."""
    try:
        content = render_pdf(template_name, context, request)
    except PdfUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


def pdf_redirect(request, url_name, pk):
    """A former `?pdf=1` link, sent on to the PDF's own URL (ending in .pdf) with its other
    parameters (a bookmark keeps working)."""
    query = request.GET.copy()
    query.pop("pdf", None)
    url = reverse(url_name, args=[pk])
    return redirect(f"{url}?{query.urlencode()}" if query else url, permanent=True)


def render_pdf(template_name, context, request=None):
    """Render a template to PDF bytes."""
    try:
        import weasyprint
        import weasyprint.urls
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            _("PDF output needs WeasyPrint and the Pango library: %(error)s") % {"error": error}
        ) from None
    html = render_to_string(template_name, context | {"pdf": True}, request=request)
    document = weasyprint.HTML(
        string=html, base_url="http://jiefang.local/", url_fetcher=_static_fetcher(weasyprint)
    )
    return document.write_pdf()
