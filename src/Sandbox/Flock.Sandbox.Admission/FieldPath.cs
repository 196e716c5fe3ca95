using System.Globalization;
using System.Text;

namespace Flock.Sandbox.Admission;

/// <summary>
/// An immutable field path with the string form of k8s.io/apimachinery's field.Path:
/// children joined by ".", list indices as "[1]", map keys as "[key]" (unquoted), and "&lt;nil&gt;" for the root.
/// </summary>
public sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string? _name;
    private readonly string? _index;

    private FieldPath(FieldPath? parent, string? name, string? index)
    {
        _parent = parent;
        _name = name;
        _index = index;
    }

    /// <summary>The empty path; Go prints a nil *field.Path as "&lt;nil&gt;".</summary>
    public static FieldPath Root { get; } = new(null, null, null);

    public bool IsRoot => _parent is null && _name is null && _index is null;

    /// <summary>A path from dotted parts, e.g. <c>FieldPath.Of("spec", "taskId")</c>.</summary>
    public static FieldPath Of(params string[] names) => names.Aggregate(Root, (p, n) => p.Child(n));

    public FieldPath Child(string name) => new(IsRoot ? null : this, name, null);

    public FieldPath Index(int index) => new(IsRoot ? null : this, null, index.ToString(CultureInfo.InvariantCulture));

    public FieldPath Key(string key) => new(IsRoot ? null : this, null, key);

    public override string ToString()
    {
        if (IsRoot)
        {
            return "<nil>";
        }

        var elements = new List<FieldPath>();
        for (var p = this; p is not null; p = p._parent)
        {
            elements.Add(p);
        }

        var sb = new StringBuilder();
        for (var i = elements.Count - 1; i >= 0; i--)
        {
            var p = elements[i];
            if (p._name is not null)
            {
                if (p._parent is not null && p._name.Length > 0)
                {
                    sb.Append('.');
                }

                sb.Append(p._name);
            }
            else
            {
                // An index on the root itself (Go: a subscript with no parent) still prints as "[i]".
                sb.Append('[').Append(p._index).Append(']');
            }
        }

        return sb.ToString();
    }
}
