"""Reading a questionnaire form (online, paper, kiosk) into the answers
shape of the API: ``{key: value}``, checked by the service."""

from eventhub.consultation.models import Question, Survey


def answers_from_post(survey: Survey, data) -> dict:
    """The answers in a POSTed form; each question's field is its key."""
    answers = {}
    for question in survey.questions.all():
        if question.kind == Question.Kind.MULTIPLE:
            value = data.getlist(question.key)
        else:
            value = data.get(question.key, "").strip()
        if value:
            answers[question.key] = value
    return answers


def form_values(survey: Survey, data) -> dict:
    """What the form shows again after an error: lists for several choices,
    text otherwise."""
    if data is None:
        return {}
    return {
        q.key: data.getlist(q.key) if q.kind == Question.Kind.MULTIPLE else data.get(q.key, "")
        for q in survey.questions.all()
    }


def question_rows(survey: Survey, values: dict, errors: dict) -> list[dict]:
    """Each question with its texts in the active language, the value to
    show and its error, for ``consultation/_questions.html``."""
    rows = []
    for number, question in enumerate(survey.questions.all(), start=1):
        value = values.get(question.key, [] if question.kind == Question.Kind.MULTIPLE else "")
        low, high = question.scale_here()
        rows.append(
            {
                "number": number,
                "question": question,
                "text": question.text_here,
                "choices": question.choices_here(),
                "scale": [str(p) for p in range(Question.SCALE_MIN, Question.SCALE_MAX + 1)],
                "scale_low": low,
                "scale_high": high,
                "value": value if isinstance(value, list) else str(value),
                "errors": errors.get(f"answers.{question.key}", []),
            }
        )
    return rows
