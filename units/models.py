import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def random_name(folder, filename):
    """Stored names are unguessable; the original name of a photo or emblem has no value to keep."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"{folder}/{uuid.uuid4().hex}.{extension[:5]}"


def unit_emblem_path(instance, filename):
    return random_name("units/emblems", filename)


class UnitType(models.Model):
    """Police station, immigration unit, and the supervising levels above them."""

    POLICE_STATION = "police_station"
    IMMIGRATION_UNIT = "immigration_unit"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), help_text=_("0 = national, higher = lower in the hierarchy"))
    publishes_oit = models.BooleanField(_("publishes OIT items"), default=False)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")

    def __str__(self):
        return self.name_th


class LineOfWork(models.Model):
    """สายงาน: the lines of work of a unit type (อำนวยการ, ป้องกันปราบปราม …)."""

    unit_type = models.ForeignKey(UnitType, on_delete=models.CASCADE, related_name="lines_of_work")
    code = models.SlugField(_("code"), max_length=40)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["unit_type", "order"]
        constraints = [models.UniqueConstraint(fields=["unit_type", "code"], name="unique_line_of_work")]
        verbose_name = _("line of work")
        verbose_name_plural = _("lines of work")

    def __str__(self):
        return self.name_th


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit):
        """The unit and every unit below it (one indexed prefix query, whatever the depth)."""
        return self.filter(path__startswith=unit.path)

    def visible_to(self, user):
        """Units on which the user holds a role, and every unit below a unit they supervise."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        roles = list(Role.objects.filter(user=user).select_related("unit"))
        condition = Q(pk__in=[r.unit_id for r in roles])
        for role in roles:
            if role.role in (Role.SUPERVISOR, Role.ADMIN):  # admins above manage (so see) the units below
                condition |= Q(path__startswith=role.unit.path)
        return self.filter(condition)


class Unit(models.Model):
    unit_type = models.ForeignKey(UnitType, on_delete=models.PROTECT, verbose_name=_("unit type"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    # Materialised path "/1/4/9/" of ids from the top: subtree and ancestor look-ups without recursion.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Part of the public address; never change it once published."))
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name_th = models.CharField(_("Thai short name"), max_length=80, blank=True)
    short_name_en = models.CharField(_("English short name"), max_length=80, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    social_links = models.JSONField(_("social media links"), default=list, blank=True, help_text=_('A list of {"label": ..., "url": ...}'))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    head = models.ForeignKey(
        "Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("head of unit")
    )
    emblem = models.ImageField(_("emblem"), upload_to=unit_emblem_path, blank=True)
    # Changes whenever something of the unit is (re)published: the public pages' cache key.
    published_at = models.DateTimeField(_("last published"), null=True, blank=True, editable=False)

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["published_at", "path"])

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.short_name_th or self.name_th

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the top down to and including this unit."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def clean(self):
        if self.parent_id and self.pk and str(self.pk) in self.parent.path.strip("/").split("/"):
            raise ValidationError({"parent": _("A unit cannot be placed under itself or a unit below it.")})
        if self.head_id and self.pk and self.head.unit_id != self.pk:
            raise ValidationError({"head": _("The head must be an officer of this unit.")})

    def _computed_path(self):
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.pk}/"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                kwargs = {}
            old_path, self.path = self.path, self._computed_path()
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_subtree(old_path)

    def _move_subtree(self, old_path):
        for unit in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            unit.path = self.path + unit.path[len(old_path):]
            Unit.objects.filter(pk=unit.pk).update(path=unit.path)

    @property
    def map_url(self):
        if self.latitude is None or self.longitude is None:
            return ""
        return f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}"


def officer_photo_path(instance, filename):
    return random_name("officers", filename)


class Officer(models.Model):
    RANKS = [
        ("พ.ต.อ.", "Pol.Col."),
        ("พ.ต.ท.", "Pol.Lt.Col."),
        ("พ.ต.ต.", "Pol.Maj."),
        ("ร.ต.อ.", "Pol.Capt."),
        ("ร.ต.ท.", "Pol.Lt."),
        ("ร.ต.ต.", "Pol.Sub.Lt."),
        ("ด.ต.", "Pol.Sen.Sgt.Maj."),
        ("จ.ส.ต.", "Pol.Sgt.Maj."),
        ("ส.ต.อ.", "Pol.Sgt."),
        ("ส.ต.ท.", "Pol.Cpl."),
        ("ส.ต.ต.", "Pol.L.Cpl."),
    ]
    RANK_CHOICES = [(th, f"{th} ({en})") for th, en in RANKS]

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("unit"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="officer", verbose_name=_("login")
    )
    key = models.SlugField(
        _("import key"), max_length=60, unique=True, null=True, blank=True,
        help_text=_("Stable identifier used by data imports (e.g. the demo data)."),
    )
    rank = models.CharField(_("rank"), max_length=10, choices=RANK_CHOICES, blank=True)
    is_female = models.BooleanField(_("female (หญิง)"), default=False)
    is_acting = models.BooleanField(_("acting rank (ว่าที่)"), default=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_en = models.CharField(_("first name in English"), max_length=100, blank=True)
    last_name_en = models.CharField(_("last name in English"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    line_of_work = models.ForeignKey(
        LineOfWork, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("line of work")
    )
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=officer_photo_path, blank=True)
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)
    is_active = models.BooleanField(_("serving in the unit"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "last_name", "first_name"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")

    def __str__(self):
        return self.display_name

    @property
    def rank_title(self) -> str:
        """`ว่าที่ พ.ต.ท.หญิง` — rank with the acting and female markers the Thai way."""
        title = self.rank + ("หญิง" if self.is_female and self.rank else "")
        return f"ว่าที่ {title}" if self.is_acting and title else title

    @property
    def display_name(self) -> str:
        """`พ.ต.ท.วิทยา ภูษะมา`, `พ.ต.ท.หญิง กิติโฉม ศรีพัฒนานนท์`, `ว่าที่ พ.ต.อ.…`."""
        title = self.rank_title
        separator = " " if title.endswith("หญิง") else ""
        return f"{title}{separator}{self.first_name} {self.last_name}".strip()

    @property
    def display_name_en(self) -> str:
        rank_en = dict(self.RANKS).get(self.rank, "")
        acting = "Acting " if self.is_acting and rank_en else ""
        first = self.first_name_en or self.first_name
        last = self.last_name_en or self.last_name
        return f"{acting}{rank_en} {first} {last}".strip()


class Role(models.Model):
    ADMIN = "admin"
    RESPONSIBLE = "responsible"
    CONTROLLER = "controller"
    COMMANDER = "commander"
    VIEWER = "viewer"
    SUPERVISOR = "supervisor"
    CHOICES = [
        (ADMIN, _("Administrator (ผู้ดูแลระบบ)")),
        (RESPONSIBLE, _("Responsible officer (ผู้รับผิดชอบ)")),
        (CONTROLLER, _("Controller (ผู้ควบคุม)")),
        (COMMANDER, _("Commander (หัวหน้าหน่วย)")),
        (VIEWER, _("Viewer")),
        (SUPERVISOR, _("Supervisor of the units below")),
    ]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_roles", verbose_name=_("user"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="roles", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=CHOICES)
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role")]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    UNIT_ROLES = (ADMIN, RESPONSIBLE, CONTROLLER, COMMANDER, VIEWER)  # what a unit's own admin may grant
    ITEM_ROLES = (RESPONSIBLE, CONTROLLER, COMMANDER, VIEWER)  # about a unit's own OIT items: a publishing unit's


from units.messaging_models import LineGroup, LinkCode, Message, MessagingProfile  # noqa: E402,F401 (models of this app)
from units.onboarding_models import ImportBatch, Invitation  # noqa: E402,F401 (models of this app)
