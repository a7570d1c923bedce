"""Domain errors of the project directory and the stamp card."""

from django.utils.translation import gettext_lazy as _

from eventhub.core.exceptions import DomainError


class ProjectImportInvalid(DomainError):
    """A row of an import file is wrong; ``row`` and ``field`` name it."""

    code, http_status = "project_import_invalid", 400
    default_message = _("The import file is not valid.")

    def __init__(self, message, *, row: int | None, field: str):
        self.row = row
        self.field = field
        super().__init__(message, fields={field: [str(message)]})

    def __str__(self):
        if self.row is None:
            return _("%(field)s: %(message)s") % {"field": self.field, "message": self.message}
        return _("Row %(row)d, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


class StampCodeUnknown(DomainError):
    code, http_status = "stamp_code_unknown", 404
    default_message = _("This is not the code of a stand at this fair.")
