using System.Text;
using k8s;
using k8s.Models;

namespace Flock.Sandbox.Cluster.Controllers;

/// <summary>
/// The pod-template-hash of a Deployment's ReplicaSets: FNV-32a over the template and the collision
/// count, written out with rand.SafeEncodeString's alphabet (no vowels, so no words), as
/// controller.ComputeHash does. The bytes hashed are the template's JSON rather than Go's
/// DeepHashObject dump, so values differ from a real cluster's; the shape is the same.
/// </summary>
internal static class PodTemplateHash
{
    public const string Label = "pod-template-hash";
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical(template));
        var hash = 2166136261u;
        foreach (var b in bytes) hash = (hash ^ b) * 16777619u;
        if (collisionCount is { } c)
        {
            foreach (var b in BitConverter.GetBytes((uint)c)) hash = (hash ^ b) * 16777619u;
        }

        var digits = hash.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder(digits.Length);
        foreach (var ch in digits) sb.Append(Alphabet[ch % Alphabet.Length]);
        return sb.ToString();
    }

    /// <summary>The template as JSON without the pod-template-hash label (EqualIgnoreHash compares these).</summary>
    public static string Canonical(V1PodTemplateSpec? template)
    {
        if (template is null) return "";
        var copy = Owners.Clone(template);
        copy.Metadata ??= new V1ObjectMeta();
        copy.Metadata.Labels?.Remove(Label);
        if (copy.Metadata.Labels is { Count: 0 }) copy.Metadata.Labels = null;
        return KubernetesJson.Serialize(copy);
    }

    public static bool EqualIgnoringHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) => Canonical(a) == Canonical(b);
}
