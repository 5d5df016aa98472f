"""The bundled sample bureau site: a deterministic generator, a loopback server and its expected findings."""

from govinspect.demo.model import ColumnSpec, ItemSpec, Resource, Site, write_manifest
from govinspect.demo.server import SampleServer
from govinspect.demo.site import build_site

__all__ = ["ColumnSpec", "ItemSpec", "Resource", "SampleServer", "Site", "build_site", "write_manifest"]
