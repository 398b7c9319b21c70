"""Private files on S3-compatible object storage: a real moto server the tests start.

Objects are written private and have no URL; market pieces and conventions still download
only through the permission-checked views, read in ranged chunks (never whole in memory).
"""

import io
import tracemalloc
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from guardian.shortcuts import assign_perm

from core.storage import PrivateS3Storage, private_storage
from markets.access import PIECES_PERMISSION, Audience
from members.models import User
from subscriptions import services
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece
from tests.factories.subscriptions import blank_convention_document
from tests.servers import start_moto

pytestmark = pytest.mark.django_db

BIG = 4 * 1024 * 1024  # a piece larger than anything the download may hold at once


@pytest.fixture(scope="module")
def moto_server():
    server = start_moto()
    yield server
    server.stop()


@pytest.fixture
def bucket(moto_server, settings):
    name = f"canut-prive-{uuid.uuid4().hex[:8]}"
    endpoint = f"http://127.0.0.1:{moto_server.port}"
    options = {"endpoint_url": endpoint, "region_name": "eu-west-3", "access_key": "canut", "secret_key": "secret"}
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-3",
        aws_access_key_id="canut",
        aws_secret_access_key="secret",
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "core.storage.PrivateS3Storage", "OPTIONS": {"bucket_name": name, **options}},
    }
    client.bucket_name = name
    return client


def stream(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def test_the_setting_chooses_s3_and_the_files_go_there(bucket):
    storage = private_storage()
    assert isinstance(storage, PrivateS3Storage)
    name = storage.save("conventions/essai.pdf", ContentFile(b"%PDF-1.4 essai"))
    assert [item["Key"] for item in bucket.list_objects_v2(Bucket=bucket.bucket_name)["Contents"]] == [name]
    with pytest.raises(NotImplementedError):
        storage.url(name)
    with storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 essai"
    with pytest.raises(FileNotFoundError):
        storage.open("conventions/absent.pdf")


def test_pieces_download_through_the_permission_check_streamed(client, bucket, market_index):
    content = (b"%PDF-1.4 " + bytes(range(256)) * 64) * (BIG // (256 * 64))
    public = MarketDocumentFactory(title="Fiche marché")
    restricted = MarketDocumentFactory(title="CCAP", file=ContentFile(content, name="ccap.pdf"))
    market = MarketPageFactory(
        parent=market_index,
        documents=[piece(public, "summary", Audience.PUBLIC), piece(restricted, "ccap", Audience.SUBSCRIBERS)],
    )
    assert stream(client.get(public.url)) == b"%PDF-1.4 test"
    assert client.get(restricted.url).status_code == 302  # anonymous: to the login page, no byte

    user = User.objects.create_user("dsi@cd54.fr", "un-mot-de-passe-solide", status=User.Status.ACTIVE)
    client.force_login(user)
    assert client.get(restricted.url).status_code == 403
    assign_perm(PIECES_PERMISSION, user, market)
    tracemalloc.start()
    try:
        response = client.get(restricted.url)
        received, chunks = 0, 0
        for chunk in response.streaming_content:
            received += len(chunk)
            chunks += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200 and int(response["Content-Length"]) == len(content) == received
    assert chunks > 100 and peak < BIG / 4, (chunks, peak)
    assert stream(client.get(restricted.url)) == content


def test_conventions_are_built_stored_and_downloaded_from_s3(client, bucket, market_index, member, establishment):
    convention_piece = blank_convention_document()  # read back from S3 (a .docx: seeks, ranged reads)
    market = MarketPageFactory(
        parent=market_index, documents=[piece(convention_piece, "convention", Audience.SUBSCRIBERS)]
    )
    subscription = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    assert subscription.convention.name.endswith(".docx")
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=bucket.bucket_name)["Contents"]}
    assert subscription.convention.name in keys and convention_piece.file.name in keys

    url = reverse("subscriptions:subscription_convention", args=[subscription.pk])
    client.force_login(member)
    body = stream(client.get(url))
    assert body.startswith(b"PK") and b"word/document.xml" in body
    outsider = User.objects.create_user("autre@mairie.fr", "un-mot-de-passe-solide", status=User.Status.ACTIVE)
    client.force_login(outsider)
    assert client.get(url).status_code == 404

    # No object of the bucket is public: its only grant is the owner's, and no policy opens it.
    for key in keys:
        grants = bucket.get_object_acl(Bucket=bucket.bucket_name, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants), grants
    bucket_grants = bucket.get_bucket_acl(Bucket=bucket.bucket_name)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in bucket_grants)
    with pytest.raises(bucket.exceptions.ClientError, match="NoSuchBucketPolicy"):
        bucket.get_bucket_policy(Bucket=bucket.bucket_name)


def test_reading_a_docx_seeks_with_ranges(bucket):
    storage = private_storage()
    name = storage.save("essai.bin", ContentFile(bytes(range(256)) * 1000))
    with storage.open(name) as handle:
        handle.seek(-10, io.SEEK_END)
        assert handle.read() == (bytes(range(256)) * 1000)[-10:]
        handle.seek(1000)
        assert handle.read(3) == bytes([1000 % 256, 1001 % 256, 1002 % 256])
