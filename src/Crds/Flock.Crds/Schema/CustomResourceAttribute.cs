namespace Flock.Crds.Schema;

/// <summary>Marks a class as the root of a namespaced custom resource and names it for the CRD.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CustomResourceAttribute(string group, string version, string kind, string plural) : Attribute
{
    public string Group { get; } = group;
    public string Version { get; } = version;
    public string Kind { get; } = kind;
    public string Plural { get; } = plural;
    public string[] ShortNames { get; init; } = [];
    public string[] Categories { get; init; } = [];
}

/// <summary>An <c>additionalPrinterColumns</c> entry: what <c>kubectl get</c> shows.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string type, string jsonPath) : Attribute
{
    public string Name { get; } = name;
    public string Type { get; } = type;
    public string JsonPath { get; } = jsonPath;
    public string? Description { get; init; }

    /// <summary>0 shows in <c>kubectl get</c>, 1 only in <c>-o wide</c>.</summary>
    public int Priority { get; init; }

    /// <summary>Declaration order; attributes carry no order of their own in reflection.</summary>
    public int Order { get; init; }
}
