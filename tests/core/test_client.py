"""The one HTTP client (core/feeds/client.py): a plain-http client trusts no certificate."""

from __future__ import annotations

import ssl

from blogtui.core.feeds import client


def test_a_client_without_tls_trusts_no_certificate_at_all():
    context = client._no_tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0  # so every https connection fails


def test_the_usual_client_verifies_against_the_ca_bundle():
    context = client._tls_context(True)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0
