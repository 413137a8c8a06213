# Relais Droits — the Telegram bot.
# docker build -t relais-droits .
# docker run -e TELEGRAM_TOKEN=... -v relais-data:/data relais-droits
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    RELAIS_DB=/data/relais.db \
    RELAIS_KNOWLEDGE=/app/knowledge

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir '.[webhooks]'
COPY knowledge ./knowledge

RUN useradd --create-home --uid 10001 relais \
    && mkdir -p /data \
    && chown relais:relais /data
USER relais
VOLUME ["/data"]

# SIGTERM (docker stop) makes the bot finish the updates in hand and flush storage.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
