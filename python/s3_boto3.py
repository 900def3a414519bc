#!/usr/bin/env python3
"""A bucket downloaded with boto3 as its documentation shows it: the list_objects_v2 paginator
lists the keys and a thread pool runs download_file for each. A peer of billion's strategies
(`billion compare --peers boto3`); billion checks what it leaves in DEST."""
import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor

MISSING_LIBRARY = 3  # the exit status billion reads as "install python3-boto3"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("endpoint", help="http://HOST:PORT")
    p.add_argument("bucket")
    p.add_argument("dest", help="directory the objects are written to, one file a key")
    p.add_argument("--prefix", default="")
    p.add_argument("--workers", type=int, default=10)
    p.add_argument("--anonymous", action="store_true", help="unsigned requests")
    a = p.parse_args()
    try:
        import boto3
        from botocore import UNSIGNED
        from botocore.config import Config
    except ImportError as e:
        print(f"s3_boto3.py: {e}: install python3-boto3", file=sys.stderr)
        sys.exit(MISSING_LIBRARY)
    config = Config(signature_version=UNSIGNED if a.anonymous else "s3v4",
                    max_pool_connections=a.workers, s3={"addressing_style": "path"})
    s3 = boto3.client("s3", endpoint_url=a.endpoint, config=config,
                      region_name=os.environ.get("AWS_REGION", "us-east-1"))
    paginator = s3.get_paginator("list_objects_v2")
    with ThreadPoolExecutor(max_workers=a.workers) as pool:
        futures = []
        for page in paginator.paginate(Bucket=a.bucket, Prefix=a.prefix):
            for obj in page.get("Contents", []):
                name = obj["Key"][len(a.prefix):]
                futures.append(pool.submit(s3.download_file, a.bucket, obj["Key"], os.path.join(a.dest, name)))
        for f in futures:
            f.result()


if __name__ == "__main__":
    main()
