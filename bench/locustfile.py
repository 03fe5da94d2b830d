"""Locust users for bench/scale_out.py: residents and agents filling in the council-tax
discount, each journey on either app server (BENCH_HOSTS), recording what they sent. Every user
sends from one address: the servers need a high SUBMIT_RATE_LIMIT (scale_out.py sets one)."""

from __future__ import annotations

import json
import os
import random
import re
import secrets

from locust import HttpUser, between, events, task

SERVICE = "council-tax-single-person-discount"
HOSTS = os.environ.get("BENCH_HOSTS", "http://127.0.0.1:5143").split(",")
RESULTS = os.environ.get("BENCH_RESULTS", "/tmp/scale-out-results.jsonl")
AGENT = os.environ.get("BENCH_AGENT", "agent@bench.example")
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-123")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# the confirmation panel's reference (a staff page also shows the call's draft reference)
REFERENCE = re.compile(r'class="app-reference">([A-Z]{2,5}-[0-9A-Z]{4}-[0-9A-Z]{4})<')
sent: list[dict[str, object]] = []


class Journey(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.2)

    def post(self, host: str, path: str, data: dict[str, str], name: str) -> str:
        page = self.client.get(host + path, name=f"GET {name}")
        token = TOKEN.search(page.text)
        data = {**data, "csrf_token": token.group(1) if token else ""}
        with self.client.post(
            host + path, data=data, name=f"POST {name}", catch_response=True, allow_redirects=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response.text

    def answers(self) -> dict[str, dict[str, str]]:
        day = str(random.randint(1, 28))
        return {
            "account-number": {"account_number": f"5{random.randint(0, 9999999):07d}"},
            "other-adults": {"other_adults": "no"},
            "date-alone": {"date_from-day": day, "date_from-month": "2", "date_from-year": "2020"},
            "about-you": {
                "full_name": f"Bench {secrets.token_hex(6)}",
                "date_of_birth-day": day,
                "date_of_birth-month": "4",
                "date_of_birth-year": "1960",
            },
        }

    def record(self, channel: str, answers: dict[str, dict[str, str]], html: str) -> None:
        found = REFERENCE.search(html)
        sent.append(
            {
                "channel": channel,
                "reference": found.group(1) if found else None,
                "full_name": answers["about-you"]["full_name"],
                "account_number": answers["account-number"]["account_number"],
            }
        )


class Resident(Journey):
    weight = 3

    @task
    def apply(self) -> None:
        self.client.cookies.clear()
        host = random.choice(HOSTS)
        answers = self.answers()
        for page, data in answers.items():
            host = random.choice(HOSTS)  # any server may take any request
            self.post(host, f"/{SERVICE}/{page}", data, page)
        html = self.post(random.choice(HOSTS), f"/{SERVICE}/check-answers", {}, "check-answers")
        self.record("online", answers, html)


class Agent(Journey):
    weight = 1

    def on_start(self) -> None:
        self.post(HOSTS[0], "/staff/sign-in", {"email": AGENT, "password": PASSWORD}, "sign-in")

    @task
    def assist(self) -> None:
        base = f"/staff/{SERVICE}"
        self.post(random.choice(HOSTS), f"{base}/", {"contact_channel": "phone"}, "staff start")
        answers = self.answers()
        for page, data in answers.items():
            self.post(random.choice(HOSTS), f"{base}/{page}", data, f"staff {page}")
        self.post(
            random.choice(HOSTS),
            f"{base}/security",
            {"security_passed": "passed"},
            "staff security",
        )
        html = self.post(
            random.choice(HOSTS),
            f"{base}/check-answers",
            {"declaration_agreed": "yes"},
            "staff check-answers",
        )
        self.record("assisted", answers, html)


@events.test_stop.add_listener
def _write(**_kwargs: object) -> None:
    with open(RESULTS, "w", encoding="utf-8") as out:
        for line in sent:
            out.write(json.dumps(line) + "\n")
