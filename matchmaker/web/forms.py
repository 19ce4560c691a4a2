"""Forms. Every form carries a CSRF token (Flask-WTF); GET search forms carry none."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Email("Enter an email address like name@example.org")],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class SignOutForm(FlaskForm):
    pass


class CreateKeyForm(FlaskForm):
    owner = StringField(
        "What the key is for",
        validators=[
            DataRequired("Say what the key is for, for example 'Budget dashboard'"),
            Length(max=120, message="Use 120 characters or fewer"),
        ],
    )
    contacts = BooleanField("Allow the key to read contact details")
    requests = BooleanField("Allow the key to create match-making requests")


class RevokeKeyForm(FlaskForm):
    prefix = HiddenField(validators=[DataRequired()])


class IntroductionForm(FlaskForm):
    council = HiddenField(validators=[DataRequired()])
    service = HiddenField(validators=[DataRequired()])
    candidate = HiddenField(validators=[DataRequired()])
