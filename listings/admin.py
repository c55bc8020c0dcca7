from django.contrib import admin

from .models import ApplyClick, Category, Location, PayRange, Posting, Skill, Term


class PayRangeInline(admin.TabularInline):
    model = PayRange
    extra = 0


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "status", "work_mode", "posted_on", "closes_on"]
    list_filter = ["status", "work_mode", "internship_type", "visa_sponsorship"]
    search_fields = ["title", "company__name"]
    autocomplete_fields = ["company", "skills", "categories", "terms", "locations"]
    inlines = [PayRangeInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "region", "country"]
    search_fields = ["name"]


@admin.register(Skill, Category, Term)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ApplyClick)
class ApplyClickAdmin(admin.ModelAdmin):
    list_display = ["posting", "day", "count"]
    date_hierarchy = "day"
