#!/usr/bin/env python3
"""Check a CSDL 4.0 document (the answer of GET /$metadata) with the
standard library only, for tests/blackbox/metadata.sh.

  csdl.py validate DOC        the rules of CSDL 4.0 (OASIS, Part 3) that
                              can be checked without the schema files:
                              known elements and attributes, identifiers,
                              every type reference resolves, keys, base
                              types, bound actions' binding parameters,
                              enums, annotations' targets and terms
  csdl.py routes DOC ROUTES   ROUTES is tests/fcgi/routes' output (METHODS
                              tab TEMPLATE a line): each served route must
                              resolve through the document with a method
                              it allows, and every action, navigation
                              property, entity set and singleton declared
                              must be reached by a served route
  csdl.py paths DOC           every path the document declares, as
                              WHAT tab METHOD tab TEMPLATE lines (WHAT
                              names the action or navigation property)
  csdl.py instance DOC TYPE JSON
                              the JSON object in the file JSON is an
                              instance of the structured type TYPE: each
                              property declared, each declared property
                              present, values of the declared types

Each prints one line per problem and exits 1 when it found any.
"""

import json
import re
import sys
import xml.etree.ElementTree as ET

EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
PRIMITIVES = {
    "Binary", "Boolean", "Byte", "Date", "DateTimeOffset", "Decimal",
    "Double", "Duration", "Guid", "Int16", "Int32", "Int64", "SByte",
    "Single", "Stream", "String", "TimeOfDay", "Geography", "Geometry",
    "PrimitiveType", "Untyped",
}
INTEGERS = {"Edm.Byte", "Edm.SByte", "Edm.Int16", "Edm.Int32", "Edm.Int64"}
FACETS = {"Nullable", "MaxLength", "Precision", "Scale", "SRID", "Unicode"}
CONSTANTS = {"Binary", "Bool", "Date", "DateTimeOffset", "Decimal",
             "Duration", "EnumMember", "Float", "Guid", "Int", "String",
             "TimeOfDay", "Path"}
# Element: (attributes allowed, children allowed).
ELEMENTS = {
    "Schema": ({"Namespace", "Alias"}, {"EntityType", "ComplexType",
               "EnumType", "TypeDefinition", "Action", "Function",
               "EntityContainer", "Term", "Annotations", "Annotation"}),
    "EntityType": ({"Name", "BaseType", "Abstract", "OpenType", "HasStream"},
                   {"Key", "Property", "NavigationProperty", "Annotation"}),
    "ComplexType": ({"Name", "BaseType", "Abstract", "OpenType"},
                    {"Property", "NavigationProperty", "Annotation"}),
    "Key": (set(), {"PropertyRef"}),
    "PropertyRef": ({"Name", "Alias"}, set()),
    "Property": ({"Name", "Type", "DefaultValue"} | FACETS, {"Annotation"}),
    "NavigationProperty": ({"Name", "Type", "Nullable", "Partner",
                            "ContainsTarget"},
                           {"ReferentialConstraint", "OnDelete",
                            "Annotation"}),
    "EnumType": ({"Name", "UnderlyingType", "IsFlags"},
                 {"Member", "Annotation"}),
    "Member": ({"Name", "Value"}, {"Annotation"}),
    "Action": ({"Name", "IsBound", "EntitySetPath"},
               {"Parameter", "ReturnType", "Annotation"}),
    "Parameter": ({"Name", "Type"} | FACETS, {"Annotation"}),
    "ReturnType": ({"Type"} | FACETS, {"Annotation"}),
    "EntityContainer": ({"Name", "Extends"}, {"EntitySet", "Singleton",
                        "ActionImport", "FunctionImport", "Annotation"}),
    "EntitySet": ({"Name", "EntityType", "IncludeInServiceDocument"},
                  {"NavigationPropertyBinding", "Annotation"}),
    "Singleton": ({"Name", "Type"},
                  {"NavigationPropertyBinding", "Annotation"}),
    "Annotations": ({"Target", "Qualifier"}, {"Annotation"}),
    "Annotation": ({"Term", "Qualifier"} | CONSTANTS, set()),
}
BOOLEANS = {"Nullable", "Abstract", "OpenType", "HasStream", "IsFlags",
            "IsBound", "ContainsTarget", "Unicode", "Bool",
            "IncludeInServiceDocument"}


class Model:
    """The document's schemas, indexed by qualified name."""

    def __init__(self, path):
        self.problems = []
        self.tree = ET.parse(path)
        self.root = self.tree.getroot()
        self.schemas = self.root.findall(
            "{%s}DataServices/{%s}Schema" % (EDMX, EDM))
        self.prefixes = {}      # namespace or alias -> namespace
        self.types = {}         # qualified name -> element
        self.actions = []       # (namespace, element)
        self.vocabularies = set()
        for inc in self.root.iter("{%s}Include" % EDMX):
            self.vocabularies.add(inc.get("Namespace"))
            if inc.get("Alias"):
                self.vocabularies.add(inc.get("Alias"))
        for schema in self.schemas:
            ns = schema.get("Namespace", "")
            self.prefixes[ns] = ns
            if schema.get("Alias"):
                self.prefixes[schema.get("Alias")] = ns
        for schema in self.schemas:
            ns = schema.get("Namespace", "")
            for el in schema:
                kind = local(el)
                if kind in ("EntityType", "ComplexType", "EnumType",
                            "TypeDefinition"):
                    name = ns + "." + el.get("Name", "")
                    if name in self.types:
                        self.fail("%s is declared twice" % name)
                    self.types[name] = el
                elif kind == "Action":
                    self.actions.append((ns, el))
        containers = [el for s in self.schemas
                      for el in s.findall("{%s}EntityContainer" % EDM)]
        self.container = containers[0] if len(containers) == 1 else None
        if self.container is None:
            self.fail("the document has %d entity containers, not one" %
                      len(containers))

    def fail(self, message):
        self.problems.append(message)

    def qualify(self, name):
        """The qualified name a reference means, alias resolved."""
        prefix, _, simple = name.rpartition(".")
        if prefix == "Edm":
            return name
        return self.prefixes.get(prefix, prefix) + "." + simple

    def resolve(self, ref, where):
        """(element or "Edm", is_collection) of a type reference."""
        coll = ref.startswith("Collection(") and ref.endswith(")")
        name = ref[len("Collection("):-1] if coll else ref
        q = self.qualify(name)
        if q.startswith("Edm."):
            if q[4:] not in PRIMITIVES:
                self.fail("%s: %s is no primitive type" % (where, ref))
                return None, coll
            return "Edm", coll
        if q not in self.types:
            self.fail("%s: type %s is not declared" % (where, ref))
            return None, coll
        return self.types[q], coll

    def base(self, el):
        """The base type element of a structured type, or None."""
        if el.get("BaseType") is None:
            return None
        return self.types.get(self.qualify(el.get("BaseType")))

    def lineage(self, el):
        """The type and its bases, most derived first."""
        seen = []
        while el is not None and el not in seen:
            seen.append(el)
            el = self.base(el)
        return seen

    def members(self, el, kind):
        """Properties (kind Property or NavigationProperty) with bases."""
        out = {}
        for t in reversed(self.lineage(el)):
            for p in t.findall("{%s}%s" % (EDM, kind)):
                out[p.get("Name")] = p
        return out

    def name_of(self, el):
        for q, t in self.types.items():
            if t is el:
                return q
        return "?"


def local(el):
    return el.tag.rpartition("}")[2]


# --- validate ---------------------------------------------------------------

def check_shape(m, el, where):
    """Known elements, attributes, identifiers and booleans, recursively."""
    kind = local(el)
    if not el.tag.startswith("{%s}" % EDM):
        m.fail("%s: %s is not in the CSDL namespace" % (where, el.tag))
        return
    if kind not in ELEMENTS:
        m.fail("%s: %s is not a CSDL element checked here" % (where, kind))
        return
    attrs, children = ELEMENTS[kind]
    for a, v in el.attrib.items():
        if a not in attrs:
            m.fail("%s: %s has no attribute %s" % (where, kind, a))
        if a in BOOLEANS and v not in ("true", "false"):
            m.fail("%s: %s=%r is not true or false" % (where, a, v))
    name = el.get("Name")
    if "Name" in attrs and kind != "PropertyRef":
        if name is None or not IDENT.match(name):
            m.fail("%s: %s Name %r is no simple identifier" %
                   (where, kind, name))
    for child in el:
        if local(child) not in children:
            m.fail("%s: %s may not hold %s" % (where, kind, local(child)))
        check_shape(m, child, where + "/" + (name or kind))


def check_structured(m, q, el):
    kind = local(el)
    for t in m.lineage(el)[1:]:
        if local(t) != kind:
            m.fail("%s: base type %s is no %s" % (q, m.name_of(t), kind))
    if el.get("BaseType") is not None:
        if m.base(el) is None:
            m.fail("%s: base type %s is not declared" %
                   (q, el.get("BaseType")))
        elif el in m.lineage(m.base(el)):
            m.fail("%s: its base types go round in a circle" % q)
    names = set()
    for t in m.lineage(el):
        for p in t:
            if local(p) in ("Property", "NavigationProperty"):
                if t is el and p.get("Name") in names:
                    m.fail("%s: property %s is declared twice" %
                           (q, p.get("Name")))
                names.add(p.get("Name"))
    for p in el.findall("{%s}Property" % EDM):
        t, _ = m.resolve(p.get("Type", ""), q + "/" + p.get("Name"))
        if t is not None and t != "Edm" and local(t) == "EntityType":
            m.fail("%s/%s: a structural property of entity type" %
                   (q, p.get("Name")))
    for p in el.findall("{%s}NavigationProperty" % EDM):
        t, _ = m.resolve(p.get("Type", ""), q + "/" + p.get("Name"))
        if t is not None and (t == "Edm" or local(t) != "EntityType"):
            m.fail("%s/%s: a navigation property must name an entity type"
                   % (q, p.get("Name")))
    if kind == "EntityType":
        check_key(m, q, el)


def check_key(m, q, el):
    keys = [t for t in m.lineage(el) if t.find("{%s}Key" % EDM) is not None]
    if el.find("{%s}Key" % EDM) is not None and len(keys) > 1:
        m.fail("%s: declares a key although its base type has one" % q)
    if not keys:
        if el.get("Abstract") != "true":
            m.fail("%s: an entity type that is not abstract needs a key" % q)
        return
    props = m.members(el, "Property")
    for ref in keys[0].find("{%s}Key" % EDM):
        p = props.get(ref.get("Name"))
        if p is None:
            m.fail("%s: key property %s is not declared" %
                   (q, ref.get("Name")))
            continue
        t, coll = m.resolve(p.get("Type", ""), q)
        if t != "Edm" or coll or p.get("Nullable") != "false":
            m.fail("%s: key property %s must be a primitive that is not "
                   "nullable" % (q, ref.get("Name")))


def check_enum(m, q, el):
    u = el.get("UnderlyingType", "Edm.Int32")
    if u not in INTEGERS:
        m.fail("%s: underlying type %s is no integer type" % (q, u))
    names, values = set(), set()
    for mem in el.findall("{%s}Member" % EDM):
        if mem.get("Name") in names:
            m.fail("%s: member %s twice" % (q, mem.get("Name")))
        names.add(mem.get("Name"))
        v = mem.get("Value")
        if v is not None:
            if not re.match(r"^-?[0-9]+$", v):
                m.fail("%s: member %s value %r" % (q, mem.get("Name"), v))
            elif v in values and el.get("IsFlags") != "true":
                m.fail("%s: value %s twice" % (q, v))
            values.add(v)
    if not names:
        m.fail("%s: an enumeration without members" % q)


def binding_type(m, action):
    params = action.findall("{%s}Parameter" % EDM)
    return params[0].get("Type") if params else None


def check_action(m, ns, el):
    q = ns + "." + el.get("Name", "")
    params = el.findall("{%s}Parameter" % EDM)
    names = [p.get("Name") for p in params]
    if len(set(names)) != len(names):
        m.fail("%s: a parameter name twice" % q)
    for p in params:
        t, _ = m.resolve(p.get("Type", ""), q + "(" + p.get("Name", "") + ")")
    if len(el.findall("{%s}ReturnType" % EDM)) > 1:
        m.fail("%s: more than one ReturnType" % q)
    for r in el.findall("{%s}ReturnType" % EDM):
        m.resolve(r.get("Type", ""), q + " return")
    if el.get("IsBound") != "true":
        m.fail("%s: not bound, and no ActionImport is checked here" % q)
        return
    if not params:
        m.fail("%s: a bound action needs its binding parameter" % q)
        return
    t, _ = m.resolve(params[0].get("Type", ""), q + " binding")
    if t is not None and (t == "Edm" or
                          local(t) not in ("EntityType", "ComplexType")):
        m.fail("%s: binding parameter of no structured type" % q)


def check_overloads(m):
    seen = set()
    for ns, el in m.actions:
        key = (ns + "." + el.get("Name", ""),
               m.qualify(binding_type(m, el) or ""))
        if key in seen:
            m.fail("%s is bound to %s twice" % key)
        seen.add(key)


def check_container(m):
    c = m.container
    if c is None:
        return
    names = set()
    for el in c:
        if el.get("Name") in names:
            m.fail("container: %s twice" % el.get("Name"))
        names.add(el.get("Name"))
        ref = el.get("EntityType") if local(el) == "EntitySet" \
            else el.get("Type")
        if ref is None:
            continue
        t, coll = m.resolve(ref, "container/" + el.get("Name", ""))
        if t is not None and (coll or t == "Edm" or
                              local(t) != "EntityType"):
            m.fail("container/%s: must name an entity type" %
                   el.get("Name"))


def check_annotations(m):
    for s in m.schemas:
        for a in s.findall("{%s}Annotations" % EDM):
            target = a.get("Target", "")
            tname, _, prop = target.partition("/")
            t = m.types.get(m.qualify(tname))
            if t is None:
                m.fail("annotations: target %s does not resolve" % target)
            elif prop and prop not in m.members(t, "Property") and \
                    prop not in m.members(t, "NavigationProperty"):
                m.fail("annotations: %s has no property %s" % (tname, prop))
            for term in a:
                prefix = term.get("Term", "").rpartition(".")[0]
                if prefix not in m.vocabularies and prefix not in m.prefixes:
                    m.fail("annotation: term %s is from no included "
                           "vocabulary" % term.get("Term"))


def validate(m):
    if local(m.root) != "Edmx" or not m.root.tag.startswith("{%s}" % EDMX):
        m.fail("the root is %s, not edmx:Edmx" % m.root.tag)
    if m.root.get("Version") != "4.0":
        m.fail("edmx:Edmx Version is %r, not 4.0" % m.root.get("Version"))
    for el in m.root:
        if local(el) not in ("Reference", "DataServices") or \
                not el.tag.startswith("{%s}" % EDMX):
            m.fail("edmx:Edmx may not hold %s" % el.tag)
    for ref in m.root.findall("{%s}Reference" % EDMX):
        if not ref.get("Uri"):
            m.fail("edmx:Reference without Uri")
        if not ref.findall("{%s}Include" % EDMX):
            m.fail("edmx:Reference includes nothing")
    if len(m.root.findall("{%s}DataServices" % EDMX)) != 1:
        m.fail("edmx:Edmx needs exactly one edmx:DataServices")
    if not m.schemas:
        m.fail("edmx:DataServices holds no edm:Schema")
    for s in m.schemas:
        ns = s.get("Namespace", "")
        if not all(IDENT.match(p) for p in ns.split(".")):
            m.fail("schema namespace %r" % ns)
        if s.get("Alias") is not None and not IDENT.match(s.get("Alias")):
            m.fail("schema alias %r" % s.get("Alias"))
        check_shape(m, s, ns)
        names = set()
        for el in s:
            if local(el) in ("Action", "Annotations"):
                continue
            if el.get("Name") in names:
                m.fail("%s.%s is declared twice" % (ns, el.get("Name")))
            names.add(el.get("Name"))
    for q, el in m.types.items():
        if local(el) in ("EntityType", "ComplexType"):
            check_structured(m, q, el)
        elif local(el) == "EnumType":
            check_enum(m, q, el)
    for ns, el in m.actions:
        check_action(m, ns, el)
    check_overloads(m)
    check_container(m)
    check_annotations(m)


# --- routes and paths -------------------------------------------------------

def step(m, cur, seg, used):
    """Resolve one path segment from cur = (type element, collection);
    return (next, method kinds it allows) or None."""
    t, coll = cur
    if seg == "{id}":
        keyed = any(x.find("{%s}Key" % EDM) is not None
                    for x in m.lineage(t))
        if not coll or not keyed:
            return None
        return (t, False), {"GET", "HEAD", "DELETE", "PATCH"}
    name = seg[len("microsoft.graph."):] \
        if seg.startswith("microsoft.graph.") else seg
    if not coll:
        nav = m.members(t, "NavigationProperty").get(name)
        if nav is not None:
            used.add("navigation %s/%s" % (m.name_of(t), name))
            nt, ncoll = m.resolve(nav.get("Type"), seg)
            return (nt, ncoll), {"GET", "HEAD", "POST"} if ncoll \
                else {"GET", "HEAD"}
    for ns, a in m.actions:
        if a.get("Name") != name:
            continue
        bt, bcoll = m.resolve(binding_type(m, a) or "", name)
        if bcoll == coll and bt in m.lineage(t):
            used.add("action %s" % name)
            return (None, False), {"POST"}
    return None


def resolve_route(m, template, used):
    segs = [s for s in template.split("/") if s]
    if segs == ["$metadata"]:
        return {"GET", "HEAD"}
    if m.container is None or not segs:
        return None
    first = None
    for el in m.container:
        if el.get("Name") == segs[0]:
            first = el
    if first is None:
        return None
    used.add("%s %s" % (local(first), segs[0]))
    if local(first) == "EntitySet":
        cur = (m.types.get(m.qualify(first.get("EntityType"))), True)
        methods = {"GET", "HEAD", "POST"}
    else:
        cur = (m.types.get(m.qualify(first.get("Type"))), False)
        methods = {"GET", "HEAD"}
    for seg in segs[1:]:
        if cur[0] is None:
            return None
        r = step(m, cur, seg, used)
        if r is None:
            return None
        cur, methods = r
    return methods


def routes(m, path):
    used = set()
    with open(path) as f:
        for line in f:
            methods, _, template = line.rstrip("\n").partition("\t")
            allowed = resolve_route(m, template, used)
            if allowed is None:
                m.fail("served but not declared: %s" % template)
                continue
            for meth in methods.split(","):
                if meth not in allowed:
                    m.fail("%s %s is served, but the document makes %s "
                           "no %s" % (meth, template, template, meth))
    for what in sorted(declared_things(m)):
        if what not in used:
            m.fail("declared but no served route reaches it: %s" % what)


def declared_things(m):
    out = set()
    for q, el in m.types.items():
        for nav in el.findall("{%s}NavigationProperty" % EDM):
            out.add("navigation %s/%s" % (q, nav.get("Name")))
    for ns, a in m.actions:
        out.add("action %s" % a.get("Name"))
    if m.container is not None:
        for el in m.container:
            out.add("%s %s" % (local(el), el.get("Name")))
    return out


def walk(m, cur, prefix, depth, out):
    t, coll = cur
    if t is None or t == "Edm" or depth > 4:
        return
    if coll:
        walk(m, (t, False), prefix + "/{id}", depth + 1, out)
    else:
        for name, nav in m.members(t, "NavigationProperty").items():
            what = "navigation %s/%s" % (m.name_of(t), name)
            out.append((what, "GET", prefix + "/" + name))
            walk(m, m.resolve(nav.get("Type"), name), prefix + "/" + name,
                 depth + 1, out)
    for ns, a in m.actions:
        bt, bcoll = m.resolve(binding_type(m, a) or "", a.get("Name"))
        if bcoll == coll and bt in m.lineage(t):
            out.append(("action " + a.get("Name"), "POST",
                        prefix + "/" + a.get("Name")))


def paths(m):
    out = []
    if m.container is not None:
        for el in m.container:
            if local(el) == "EntitySet":
                cur = (m.types.get(m.qualify(el.get("EntityType"))), True)
            else:
                cur = (m.types.get(m.qualify(el.get("Type"))), False)
            walk(m, cur, "/" + el.get("Name"), 0, out)
    for what, method, path in out:
        print("%s\t%s\t%s" % (what, method, path))


# --- instance ---------------------------------------------------------------

DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?"
                      r"(Z|[+-]\d\d:\d\d)$")


def check_value(m, ref, nullable, value, where):
    t, coll = m.resolve(ref, where)
    if value is None:
        if not nullable:
            m.fail("%s: null, but not nullable" % where)
        return
    if coll:
        if not isinstance(value, list):
            m.fail("%s: not a collection" % where)
            return
        for i, v in enumerate(value):
            check_value(m, ref[len("Collection("):-1], False, v,
                        "%s[%d]" % (where, i))
        return
    if t is None:
        return
    if t == "Edm":
        q = m.qualify(ref)
        ok = {"Edm.String": lambda v: isinstance(v, str),
              "Edm.Boolean": lambda v: isinstance(v, bool),
              "Edm.DateTimeOffset":
                  lambda v: isinstance(v, str) and DATETIME.match(v),
              }.get(q)
        if ok is None:
            m.fail("%s: %s values are not checked here" % (where, q))
        elif not ok(value):
            m.fail("%s: %r is no %s" % (where, value, q))
        return
    if local(t) == "EnumType":
        names = [x.get("Name") for x in t.findall("{%s}Member" % EDM)]
        if value not in names:
            m.fail("%s: %r is no member of %s" % (where, value, ref))
        return
    check_object(m, t, value, where)


def check_object(m, t, obj, where):
    if not isinstance(obj, dict):
        m.fail("%s: not an object" % where)
        return
    props = m.members(t, "Property")
    for key, value in obj.items():
        if key.startswith("@"):
            continue
        if key not in props:
            m.fail("%s: %s is not declared on %s" %
                   (where, key, m.name_of(t)))
            continue
        p = props[key]
        check_value(m, p.get("Type"), p.get("Nullable") != "false", value,
                    where + "." + key)
    for key in props:
        if key not in obj:
            m.fail("%s: declared %s is missing" % (where, key))


def instance(m, tname, path):
    t = m.types.get(m.qualify(tname))
    if t is None:
        m.fail("type %s is not declared" % tname)
        return
    with open(path) as f:
        check_object(m, t, json.load(f), tname)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("validate", "routes", "paths",
                                          "instance"):
        sys.stderr.write(__doc__)
        return 2
    try:
        m = Model(argv[2])
    except ET.ParseError as e:
        print("not well-formed XML: %s" % e)
        return 1
    if argv[1] == "validate":
        validate(m)
    elif argv[1] == "routes":
        routes(m, argv[3])
    elif argv[1] == "paths":
        paths(m)
    else:
        instance(m, argv[3], argv[4])
    for p in m.problems:
        print(p)
    return 1 if m.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
