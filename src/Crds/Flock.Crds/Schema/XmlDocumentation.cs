using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Flock.Crds.Schema;

/// <summary>
/// Summaries from the compiler's XML documentation file, keyed by member id (T:Type, P:Type.Property,
/// F:Enum.Member). They become the schema's descriptions, which is what <c>kubectl explain</c> prints.
/// </summary>
public sealed partial class XmlDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    /// <summary>Loads the XML file the compiler wrote next to the assembly.</summary>
    public static XmlDocumentation For(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"XML documentation for {assembly.GetName().Name} not found at {path}; build with GenerateDocumentationFile", path);
        }

        return Parse(XDocument.Load(path));
    }

    public static XmlDocumentation Parse(XDocument document)
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in document.Descendants("member"))
        {
            var name = member.Attribute("name")?.Value;
            var summary = member.Element("summary");
            if (name is not null && summary is not null)
            {
                summaries[name] = Flatten(summary);
            }
        }

        return new XmlDocumentation(summaries);
    }

    public string? Type(Type type) => Find("T:" + IdOf(type));

    public string? Property(PropertyInfo property) => Find("P:" + IdOf(property.DeclaringType!) + "." + property.Name);

    public string? EnumMember(Type enumType, string memberName) => Find("F:" + IdOf(enumType) + "." + memberName);

    private string? Find(string id) => _summaries.TryGetValue(id, out var text) ? text : null;

    private static string IdOf(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    // <c>x</c> and <see cref="T:A.B"/> become plain text; white space is folded to single spaces.
    private static string Flatten(XElement summary)
    {
        var parts = summary.Nodes().Select(node => node switch
        {
            XText text => text.Value,
            XElement { Name.LocalName: "see" } see =>
                see.Attribute("langword")?.Value ?? ShortName(see.Attribute("cref")?.Value ?? ""),
            XElement element => element.Value,
            _ => "",
        });
        return Whitespace().Replace(string.Concat(parts), " ").Trim();
    }

    private static string ShortName(string cref) => cref[(cref.LastIndexOf('.') + 1)..];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
