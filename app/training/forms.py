"""The organiser's module form: title, slug, Markdown, the event kinds that need it, and one
block per quiz question (its text, its choices one per line, the right choice's number)."""
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..errors import ValidationError
from ..models.states import EventKind
from . import quiz as quizlib
from .operations import BODY_MAX, TITLE_MAX, ModuleFields, slug_problem
from .queries import KIND_LABELS, SLUG_MAX, required_kinds

BLANK_QUESTIONS = 2  # empty blocks offered under the existing questions


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class QuestionForm(Form):
    """A plain Form (the page's one CSRF token is the outer form's); quiz.from_blocks checks it."""

    question = StringField("Question")
    choices = TextAreaField("Choices, one per line")
    answer = StringField("Number of the right choice", render_kw={"inputmode": "numeric"})


class ModuleForm(FlaskForm):
    title = StringField("Title", filters=[_strip], validators=[DataRequired(message="Give the module a title."),
                                             Length(max=TITLE_MAX, message=f"Keep the title under {TITLE_MAX} characters.")])
    slug = StringField("Slug", filters=[_strip], validators=[
        DataRequired(message="Give the module a slug (its address, e.g. knocking-on-a-door)."),
        Length(max=SLUG_MAX, message=f"Keep the slug under {SLUG_MAX} characters."),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z", message="Use only lowercase letters, digits and single hyphens "
                                                      "between them in the slug (e.g. phone-banking).")])
    body = TextAreaField("Text (Markdown)", validators=[
        Length(max=BODY_MAX, message=f"Keep the text under {BODY_MAX:,} characters.")])
    required_for = SelectMultipleField(
        "Needed before check-in at", choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in EventKind],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validate_choice=False)  # checked in validate(), with a message that names the stranger
    questions = FieldList(FormField(QuestionForm), min_entries=0, max_entries=quizlib.MAX_QUESTIONS + BLANK_QUESTIONS)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        problem = slug_problem((self.slug.data or "").strip()) if not self.slug.errors else None
        if problem:
            self.slug.errors.append(problem)
            ok = False
        unknown = [k for k in self.required_for.data or [] if k not in {e.value for e in EventKind}]
        if unknown:
            self.required_for.errors = list(self.required_for.errors) + [
                f"There is no kind of event called “{unknown[0][:40]}”."]
            ok = False
        blocks = [(e.form.question.data, e.form.choices.data, e.form.answer.data) for e in self.questions]
        self.quiz, problems = quizlib.from_blocks(blocks)
        for index, found in problems.items():
            entry = self.questions[index].form
            entry.question.errors = list(entry.question.errors) + [f"Question {index + 1}: {p}" for p in found]
            ok = False
        return ok

    def fields_value(self) -> ModuleFields:
        return ModuleFields(slug=self.slug.data.strip(), title=self.title.data.strip(), body=self.body.data or "",
                            quiz=self.quiz, required_for=list(self.required_for.data or []))


def module_form_data(module) -> tuple[dict, bool]:
    """The form's starting values for an existing module (plus blank question blocks), and
    whether its stored quiz could be read (if not, the form starts with blank blocks only)."""
    try:
        questions, ok = quizlib.load(module.quiz), True
    except ValidationError:
        questions, ok = [], False
    blocks = [{"question": q.question, "choices": "\n".join(q.choices), "answer": str(q.answer + 1)} for q in questions]
    return {"title": module.title, "slug": module.slug, "body": module.body, "required_for": required_kinds(module),
            "questions": blocks + [{}] * BLANK_QUESTIONS}, ok


def blank_form_data() -> dict:
    return {"questions": [{}] * BLANK_QUESTIONS}
