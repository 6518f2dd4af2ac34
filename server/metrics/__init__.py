"""Prometheus metrics at MinIO's paths (/minio/v2/metrics/{cluster,node,bucket}).

- requests.py: the request pipeline's count step, counted in the process and flushed;
- shared.py: prometheus_client's multiprocess directory, where the workers' counts meet;
- exposition.py: what each path shows, rendered by prometheus_client;
- janitor.py: the scanner's bucket usage and the heal job's figures, from the janitor worker;
- jwt.py: the bearer token `mc admin prometheus generate` makes.
The handlers are handlers/metrics.py.
"""
