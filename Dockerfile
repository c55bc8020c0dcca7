# Internboard: a small production image. Migrations are not run on start; run
# them on demand (docs/deploying.md):  docker compose run --rm app python manage.py migrate
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production \
    PORT=8000
WORKDIR /app

# Dependencies first (from pyproject.toml, the single list), so code changes
# reuse this layer.
COPY pyproject.toml ./
RUN pip install . && rm -rf build *.egg-info

# Runtime files only (.dockerignore is an allow-list: no tests/, bench/, docs/).
COPY manage.py gunicorn.conf.py ./
COPY config ./config
COPY companies ./companies
COPY listings ./listings
COPY templates ./templates
COPY static ./static
# Static files are collected (hashed and compressed for whitenoise) at build
# time; the key and hosts here exist only for this step.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --no-create-home internboard

# The code stays owned by root: the app cannot modify itself.
USER internboard
EXPOSE 8000
# Healthy when /healthz answers 200 (the database answers; a failing cache is
# named in the body but does not make the container unhealthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "config.healthcheck"]
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
