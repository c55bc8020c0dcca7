FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install "Django>=5.2,<5.3" "psycopg[binary]>=3.2,<4" \
    "django-filter>=24.3" "whitenoise>=6.7,<7" "gunicorn>=23" "dj-database-url>=2.2,<4" \
    "nh3>=0.2.18,<1" "django-csp>=4.0,<5" "django-redis>=5.4"
COPY . .
RUN DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && useradd --create-home --uid 10001 internboard
USER internboard

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
