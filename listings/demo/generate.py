"""Deterministic, plausible demo postings of fictional companies.

The same seed gives the same postings; dates are relative to the day the
demo is loaded so that "posted in the last 7 days" always has something.
Every filter value is covered: each work mode, type, sponsorship value, term,
pay unit, company size band, open, closed and past-deadline postings.
"""

import datetime
import random

from django.utils import timezone

from listings.terms import sort_key, upcoming

PREFIXES = [
    "Bluefin", "Cedar", "Northwind", "Lumen", "Quartz", "Harbor", "Summit", "Ember", "Orchid",
    "Atlas", "Juniper", "Kestrel", "Meridian", "Nimbus", "Polaris", "Redwood", "Sable",
    "Tidal", "Umber", "Vantage", "Willow", "Zephyr", "Basalt", "Copper", "Driftwood",
    "Fjord", "Granite", "Heron", "Ironleaf", "Lark",
]  # fmt: skip
SUFFIXES = [
    "Robotics", "Analytics", "Health", "Labs", "Energy", "Logistics", "Finance", "Foods",
    "Games", "Media", "Bio", "Systems", "Security", "Mobility", "Retail", "Aerospace",
    "Education", "Insurance", "Networks", "Studios",
]  # fmt: skip
ROLES = [
    ("Software Engineer Intern", ["Python", "Java", "Git", "SQL"], ["Software", "Engineering"]),
    ("Data Science Intern", ["Python", "SQL", "Statistics", "Pandas"], ["Data & Analytics"]),
    ("Machine Learning Intern", ["Python", "PyTorch", "Machine Learning"], ["Technology", "Science & Research"]),
    ("Product Design Intern", ["Figma", "User Research", "Prototyping"], ["Design"]),
    ("Product Management Intern", ["Roadmapping", "User Research", "SQL"], ["Product"]),
    ("Marketing Intern", ["Copywriting", "SEO", "Social Media"], ["Marketing"]),
    ("Finance Intern", ["Excel", "Financial Modeling", "Accounting"], ["Finance"]),
    ("Hardware Engineering Intern", ["CAD", "Embedded C", "PCB Design"], ["Engineering", "Hardware"]),
    ("Security Engineering Intern", ["Linux", "Networking", "Python"], ["Security", "Engineering"]),
    ("Frontend Engineer Intern", ["JavaScript", "TypeScript", "React", "CSS"], ["Software"]),
    ("Backend Engineer Intern", ["Go", "PostgreSQL", "Docker", "Kubernetes"], ["Software", "Engineering"]),
    ("Research Intern", ["Research", "Statistics", "Technical Writing"], ["Science & Research"]),
    ("Operations Intern", ["Excel", "Process Improvement", "SQL"], ["Operations"]),
    ("Quantitative Research Intern", ["C++", "Statistics", "Probability"], ["Finance", "Science & Research"]),
]  # fmt: skip
LEVELS = ["", "", "", "Junior ", "Graduate ", "PhD "]
CITIES = [
    "San Francisco, CA", "Los Angeles, CA", "San Diego, CA", "Seattle, WA", "Portland, OR",
    "Austin, TX", "Houston, TX", "Dallas, TX", "Denver, CO", "Chicago, IL", "New York, NY",
    "Boston, MA", "Baltimore, MD", "Washington, DC", "Philadelphia, PA", "Atlanta, GA",
    "Miami, FL", "Orlando, FL", "Minneapolis, MN", "Detroit, MI", "Columbus, OH",
    "Raleigh, NC", "Nashville, TN", "Phoenix, AZ", "Salt Lake City, UT", "Madison, WI",
    "Newark, NJ", "Hartford, CT", "Honolulu, HI", "Burlington, VT", "Toronto, ON, Canada",
    "Vancouver, BC, Canada",
]  # fmt: skip
EXTRA_SKILLS = ["Communication", "Teamwork", "Data Visualization", "Cloud", "REST APIs", "Agile"]
LANGUAGES = ["English"] * 12 + ["Spanish", "French"]
SIZES = [12, 45, 120, 180, 450, 900, 2400, 4800, 7500, 9800, 15000, 60000]
PAY_BY_UNIT = {
    "hour": (18, 65),
    "week": (700, 2600),
    "month": (3000, 10000),
    "year": (40000, 120000),
}
HIGH_COST = ["CA", "NY", "WA", "MA", "NJ"]
MID_COST = ["CO", "IL", "TX", "OR", "MD", "VA", "PA", "DC"]


def company_names(count):
    names = [f"{p} {s}" for s in SUFFIXES for p in PREFIXES]
    random.Random(7).shuffle(names)
    return names[:count]


def generate(count, seed=1, today=None):
    """Yield `count` posting dicts in the canonical import shape."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    # The next five terms that have not ended: the demo stays current.
    term_names = upcoming(today, 5)
    companies = []
    for i, name in enumerate(company_names(max(12, min(600, count // 40 or 1)))):
        slug = name.lower().replace(" ", "-")
        companies.append(
            {
                "name": name,
                "website": f"https://www.{slug}.example.com",
                "size": SIZES[i % len(SIZES)],
                "about": (
                    f"{name} is a fictional company made up for Internboard's demo data. "
                    f"It builds {name.split()[1].lower()} products for people across North America."
                ),
            }
        )
    modes = ["remote", "hybrid", "onsite"]
    sponsorships = ["yes", "no", "citizens_only", "unknown"]
    for i in range(count):
        company = companies[i % len(companies)]
        title, skills, categories = ROLES[rng.randrange(len(ROLES))]
        level = LEVELS[rng.randrange(len(LEVELS))]
        mode = modes[i % 3]
        if mode == "remote":
            locations = [rng.choice(["United States", "United States", "Canada"])]
        else:
            locations = rng.sample(CITIES, rng.choice([1, 1, 1, 2, 3]))
        unit = ["hour", "hour", "hour", "week", "month", "year"][rng.randrange(6)]
        low, high = PAY_BY_UNIT[unit]
        ranges = []
        shape = rng.randrange(5)
        if shape != 0:  # one posting in five lists no pay
            base = rng.randrange(low, high)
            spread = rng.randrange(0, max(1, (high - low) // 6))
            if shape in (1, 2):
                ranges = [{"states": [], "min": base, "max": base + spread}]
            else:
                top = base + spread + rng.randrange(1, max(2, (high - low) // 10))
                ranges = [
                    {"states": HIGH_COST[: rng.randrange(2, 6)], "min": top, "max": top + spread},
                    {"states": [], "min": base, "max": base + spread},
                ]
                if shape == 4:
                    mid = (base + top) // 2
                    ranges.insert(
                        1,
                        {
                            "states": MID_COST[: rng.randrange(3, 9)],
                            "min": mid,
                            "max": mid + spread,
                        },
                    )
        posted = today - datetime.timedelta(days=rng.randrange(0, 120))
        status = "published"
        closes_on = None
        roll = rng.randrange(20)
        if roll == 0:
            status = "closed"
        elif roll == 1:
            closes_on = today - datetime.timedelta(days=rng.randrange(1, 20))  # past deadline
            posted = min(posted, closes_on)
        elif roll < 8:
            closes_on = today + datetime.timedelta(days=rng.randrange(1, 120))
        picked_skills = sorted(
            set(skills[: rng.randrange(2, len(skills) + 1)]) | {rng.choice(EXTRA_SKILLS)}
        )
        terms = sorted({term_names[i % 5], rng.choice(term_names)}, key=sort_key)
        job = f"{level}{title}"
        yield {
            "source": "internboard-demo",
            "external_id": f"demo-{seed}-{i}",
            "title": job,
            "company": company,
            "locations": locations,
            "work_mode": mode,
            "posted_on": posted.isoformat(),
            "closes_on": closes_on.isoformat() if closes_on else None,
            "responsibilities": (
                f"Work with the {company['name']} team on real projects as a {job.lower()}: "
                f"plan, build and present your work, using {', '.join(picked_skills[:3])}."
            ),
            # Every eleventh does not say (the page says "Not stated").
            "internship_type": (
                "part_time" if i % 5 == 4 else "unknown" if i % 11 == 10 else "full_time"
            ),
            "pay": {
                "currency": "CAD" if locations == ["Canada"] else "USD",
                "unit": unit,
                "ranges": ranges,
            },
            "visa_sponsorship": sponsorships[i % 4],
            "language": LANGUAGES[rng.randrange(len(LANGUAGES))],
            "hours_per_week": 40 if i % 5 != 4 else rng.choice([15, 20, 25]),
            "about_role": (
                f"<p><strong>{job}</strong> at {company['name']}.</p>"
                f"<ul><li>Mentorship from a senior engineer</li><li>A project that ships</li>"
                f"<li>Skills you will use: {', '.join(picked_skills)}</li></ul>"
            ),
            "skills": picked_skills,
            "categories": sorted(set(categories)),
            "terms": terms,
            "apply_url": f"https://careers.{company['website'].split('//www.')[1]}/jobs/{i}",
            "status": status,
        }
