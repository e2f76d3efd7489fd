"""Models of alignment: expected cooperation, quasi-alliance, landscape, structural balance."""

from allegiance.models.base import Model, ModelMeta, NotFittedError, clone

__all__ = ["Model", "ModelMeta", "NotFittedError", "clone"]
