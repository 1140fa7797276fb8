"""The portal's forms (source strings in Dutch, validated server-side, CSRF on each)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional


class EmptyForm(FlaskForm):
    """Only the CSRF token."""


class ActionUpdateForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("open", _l("Nog niet begonnen")),
            SelectChoice("in_progress", _l("Bezig")),
            SelectChoice("done", _l("Klaar")),
        ],
    )
    comment = TextAreaField(
        _l("Opmerking (niet verplicht)"),
        validators=[Optional(), Length(max=2000, message=_l("Gebruik hoogstens 2000 tekens."))],
    )


class GoalProposalForm(FlaskForm):
    life_domain = SelectField(_l("Levensgebied"), choices=[])
    text = TextAreaField(
        _l("Uw doel, in uw eigen woorden"),
        validators=[
            InputRequired(message=_l("Beschrijf uw doel.")),
            Length(max=2000, message=_l("Gebruik hoogstens 2000 tekens.")),
        ],
    )


class ActionProposalForm(FlaskForm):
    goal_id = HiddenField(validators=[InputRequired()])
    description = TextAreaField(
        _l("Wat gaat u doen?"),
        validators=[
            InputRequired(message=_l("Beschrijf de actie.")),
            Length(max=2000, message=_l("Gebruik hoogstens 2000 tekens.")),
        ],
    )


class AppointmentForm(FlaskForm):
    subject = StringField(
        _l("Waarover wilt u praten?"),
        validators=[
            InputRequired(message=_l("Vul een onderwerp in.")),
            Length(max=200, message=_l("Gebruik hoogstens 200 tekens.")),
        ],
    )
    channel = SelectField(
        _l("Hoe wilt u afspreken?"),
        choices=[
            SelectChoice("home_visit", _l("Huisbezoek")),
            SelectChoice("office", _l("Op kantoor")),
            SelectChoice("phone", _l("Telefoon")),
            SelectChoice("video", _l("Videobellen")),
            SelectChoice("message", _l("Bericht")),
        ],
    )
    preferred_moments = TextAreaField(
        _l("Wanneer kunt u?"),
        description=_l("Bijvoorbeeld: dinsdagochtend of donderdag na 15.00 uur."),
        validators=[
            InputRequired(message=_l("Geef aan wanneer u kunt.")),
            Length(max=500, message=_l("Gebruik hoogstens 500 tekens.")),
        ],
    )


class UploadForm(FlaskForm):
    file = FileField(_l("Bestand"), validators=[FileRequired(message=_l("Kies een bestand."))])


class ContactForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    phone = StringField(
        _l("Telefoonnummer"),
        validators=[Optional(), Length(max=20, message=_l("Gebruik hoogstens 20 tekens."))],
    )
    email = StringField(
        _l("E-mailadres"),
        validators=[Optional(), Length(max=254, message=_l("Gebruik hoogstens 254 tekens."))],
    )
    preferred_channel = SelectField(
        _l("Hoe wilt u het liefst bereikt worden?"),
        choices=[
            SelectChoice("", _l("Geen voorkeur")),
            SelectChoice("phone", _l("Telefoon")),
            SelectChoice("email", _l("E-mail")),
            SelectChoice("letter", _l("Brief")),
            SelectChoice("portal", _l("Bericht in Mijn Regie")),
        ],
    )


class CorrectionForm(FlaskForm):
    field = SelectField(
        _l("Wat klopt er niet?"),
        choices=[
            SelectChoice("name", _l("Naam")),
            SelectChoice("birth_date", _l("Geboortedatum")),
            SelectChoice("address", _l("Adres")),
            SelectChoice("other", _l("Iets anders")),
        ],
    )
    proposal = TextAreaField(
        _l("Wat moet het zijn?"),
        validators=[
            InputRequired(message=_l("Beschrijf wat er moet veranderen.")),
            Length(max=2000, message=_l("Gebruik hoogstens 2000 tekens.")),
        ],
    )


class ReviewForm(FlaskForm):
    state = SelectField(
        _l("Afhandeling"),
        choices=[
            SelectChoice("processed", _l("Verwerkt")),
            SelectChoice("rejected", _l("Afgewezen")),
        ],
    )
    note = TextAreaField(
        _l("Toelichting voor de inwoner"),
        validators=[Optional(), Length(max=2000, message=_l("Gebruik hoogstens 2000 tekens."))],
    )
