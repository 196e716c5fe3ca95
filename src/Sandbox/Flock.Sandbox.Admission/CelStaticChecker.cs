using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel.Internal;

namespace Flock.Sandbox.Admission;

/// <summary>A compile-time problem in a CEL expression, located like cel-go does (1-based line and column).</summary>
internal sealed record CelCheckError(int Line, int Column, string Message);

/// <summary>
/// The part of cel-go's type checking the apiserver applies when a CRD is created, over the parse tree of the
/// Cel package: undeclared identifiers and functions, and fields that the schema does not declare
/// ("undefined field 'x'"). It also finds whether the rule reads oldSelf (a transition rule).
/// </summary>
/// <remarks>
/// Types are followed only through schema nodes (self, fields, list items, map values, macro variables); any
/// expression whose type is not a schema node is treated as dynamic and not judged, so the checker never rejects
/// what cel-go would accept.
/// </remarks>
internal sealed class CelStaticChecker
{
    private static readonly HashSet<string> Macros = new(StringComparer.Ordinal) { "all", "exists", "exists_one", "map", "filter" };

    private static readonly HashSet<string> GlobalFunctions = new(StringComparer.Ordinal)
    {
        "has", "size", "int", "uint", "double", "string", "bool", "bytes", "type", "dyn", "duration", "timestamp", "matches",
        "quantity", "isQuantity", "url", "isURL", "ip", "isIP", "cidr", "isCIDR", "format",
    };

    private static readonly HashSet<string> MemberFunctions = new(StringComparer.Ordinal)
    {
        "contains", "startsWith", "endsWith", "matches", "size",
        "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getFullYear", "getHours", "getMilliseconds",
        "getMinutes", "getMonth", "getSeconds",
        "charAt", "indexOf", "lastIndexOf", "lowerAscii", "upperAscii", "replace", "split", "substring", "trim", "join",
        "format", "quote", "reverse",
        "isSorted", "sum", "min", "max", "find", "findAll",
        "hasValue", "value", "orValue", "or", "optMap", "optFlatMap", "of", "none", "ofNonZeroValue",
        "add", "sub", "isGreaterThan", "isLessThan", "compareTo", "asInteger", "asApproximateFloat", "sign", "isInteger",
        "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath", "getQuery",
        "family", "isUnspecified", "isLoopback", "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast",
        "containsIP", "containsCIDR", "prefixLength", "masked", "ip", "string",
        "intersects", "equivalent",
    };

    /// <summary>Identifiers that name types or function namespaces rather than variables.</summary>
    private static readonly HashSet<string> KnownIdentifiers = new(StringComparer.Ordinal)
    {
        "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type",
        "optional", "strings", "math", "sets", "lists",
    };

    private static readonly StructuralSchema StringSchema = new() { Type = "string" };

    private static readonly StructuralSchema MetadataSchema = new()
    {
        Type = "object",
        Properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal) { ["name"] = StringSchema, ["generateName"] = StringSchema },
        CelFieldNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = "name", ["generateName"] = "generateName" },
    };

    private readonly StructuralSchema _self;
    private readonly bool _oldSelfIsOptional;
    private readonly List<CelCheckError> _errors = [];

    private CelStaticChecker(StructuralSchema self, bool oldSelfIsOptional)
    {
        _self = self;
        _oldSelfIsOptional = oldSelfIsOptional;
    }

    public bool UsesOldSelf { get; private set; }

    public IReadOnlyList<CelCheckError> Errors => _errors;

    public static CelStaticChecker Check(CelParser.StartContext tree, StructuralSchema self, bool oldSelfIsOptional)
    {
        var checker = new CelStaticChecker(self, oldSelfIsOptional);
        checker.Visit(tree, new Dictionary<string, StructuralSchema?>(StringComparer.Ordinal));
        return checker;
    }

    /// <summary>Visits a node and returns the schema node its value has, or null when unknown (dynamic).</summary>
    private StructuralSchema? Visit(IParseTree node, IReadOnlyDictionary<string, StructuralSchema?> scope)
    {
        switch (node)
        {
            case CelParser.StartContext start:
                return Visit(start.expr(), scope);
            case CelParser.ExprContext { op: null } expr:
                return Visit(expr.e, scope);
            case CelParser.ConditionalOrContext or CelParser.ConditionalAndContext or CelParser.RelationContext or CelParser.CalcContext
                when node.ChildCount == 1:
                return Visit(node.GetChild(0), scope);
            case CelParser.MemberExprContext member:
                return Visit(member.member(), scope);
            case CelParser.PrimaryExprContext primary:
                return Visit(primary.primary(), scope);
            case CelParser.NestedContext nested:
                return Visit(nested.e, scope);
            case CelParser.SelectContext select:
                return VisitSelect(select, scope);
            case CelParser.MemberCallContext call:
                return VisitMemberCall(call, scope);
            case CelParser.IndexContext index:
                return VisitIndex(index, scope);
            case CelParser.IdentOrGlobalCallContext ident:
                return VisitIdent(ident, scope);
            default:
                for (var i = 0; i < node.ChildCount; i++)
                {
                    if (node.GetChild(i) is ParserRuleContext child)
                    {
                        Visit(child, scope);
                    }
                }

                return null;
        }
    }

    private StructuralSchema? VisitSelect(CelParser.SelectContext select, IReadOnlyDictionary<string, StructuralSchema?> scope)
    {
        var operand = Visit(select.member(), scope);
        var field = select.id?.Text;
        return operand is null || field is null ? null : SelectField(operand, field, select.op);
    }

    private StructuralSchema? SelectField(StructuralSchema operand, string field, IToken at)
    {
        if (operand.IsMap)
        {
            return operand.AdditionalProperties;
        }

        if (operand.IsRoot || operand.EmbeddedResource)
        {
            if (field is "apiVersion" or "kind")
            {
                return StringSchema;
            }

            if (field == "metadata")
            {
                return MetadataSchema;
            }
        }

        if (operand.CelFieldNames.TryGetValue(field, out var property))
        {
            return operand.Properties[property];
        }

        var typedObject = operand.Type == "object" && !operand.PreserveUnknownFields;
        if (typedObject)
        {
            Error(at, $"undefined field '{field}'");
        }

        return null;
    }

    private StructuralSchema? VisitMemberCall(CelParser.MemberCallContext call, IReadOnlyDictionary<string, StructuralSchema?> scope)
    {
        var name = call.id?.Text ?? string.Empty;
        var receiver = Visit(call.member(), scope);
        var args = call.args?.expr() ?? [];
        if (Macros.Contains(name) && args.Length is 2 or 3 && VariableName(args[0]) is { } variable)
        {
            var inner = new Dictionary<string, StructuralSchema?>(scope, StringComparer.Ordinal)
            {
                [variable] = receiver?.Type == "array" ? receiver.Items : null,
            };
            foreach (var arg in args.Skip(1))
            {
                Visit(arg, inner);
            }

            return null;
        }

        if (!MemberFunctions.Contains(name) && !Macros.Contains(name))
        {
            Error(call.open ?? call.Start, $"undeclared reference to '{name}' (in container '')");
        }

        foreach (var arg in args)
        {
            Visit(arg, scope);
        }

        return null;
    }

    private StructuralSchema? VisitIndex(CelParser.IndexContext index, IReadOnlyDictionary<string, StructuralSchema?> scope)
    {
        var operand = Visit(index.member(), scope);
        Visit(index.index, scope);
        if (operand is null)
        {
            return null;
        }

        return operand.Type == "array" ? operand.Items : operand.IsMap ? operand.AdditionalProperties : null;
    }

    private StructuralSchema? VisitIdent(CelParser.IdentOrGlobalCallContext ident, IReadOnlyDictionary<string, StructuralSchema?> scope)
    {
        var name = ident.id?.Text ?? string.Empty;
        if (ident.op is not null)
        {
            if (!GlobalFunctions.Contains(name))
            {
                Error(ident.op, $"undeclared reference to '{name}' (in container '')");
            }

            foreach (var arg in ident.args?.expr() ?? [])
            {
                Visit(arg, scope);
            }

            return null;
        }

        if (scope.TryGetValue(name, out var bound))
        {
            return bound;
        }

        switch (name)
        {
            case "self":
                return _self;
            case "oldSelf":
                UsesOldSelf = true;
                return _oldSelfIsOptional ? null : _self;
        }

        if (!KnownIdentifiers.Contains(name))
        {
            Error(ident.id ?? ident.Start, $"undeclared reference to '{name}' (in container '')");
        }

        return null;
    }

    /// <summary>The bare identifier of a macro's first argument (the iteration variable), if it is one.</summary>
    private static string? VariableName(CelParser.ExprContext expr)
    {
        IParseTree node = expr;
        while (node.ChildCount == 1 && node is not CelParser.IdentOrGlobalCallContext)
        {
            node = node.GetChild(0);
        }

        return node is CelParser.IdentOrGlobalCallContext { op: null, id: not null } ident ? ident.id.Text : null;
    }

    private void Error(IToken at, string message) => _errors.Add(new CelCheckError(at.Line, at.Column + 1, message));
}
