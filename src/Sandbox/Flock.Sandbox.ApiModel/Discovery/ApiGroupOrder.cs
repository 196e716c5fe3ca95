namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The order the apiserver lists groups and versions in: built-in groups by the aggregator's fixed
/// group priorities, custom groups after them by name; versions by Kubernetes version priority
/// (v2 &gt; v1 &gt; v1beta2 &gt; v1beta1 &gt; v1alpha1 &gt; anything else).
/// </summary>
public static class ApiGroupOrder
{
    private static readonly Dictionary<string, int> GroupPriority = new(StringComparer.Ordinal)
    {
        [""] = 18000,
        ["apiregistration.k8s.io"] = 18000,
        ["apps"] = 17800,
        ["events.k8s.io"] = 17750,
        ["authentication.k8s.io"] = 17700,
        ["authorization.k8s.io"] = 17600,
        ["autoscaling"] = 17500,
        ["batch"] = 17400,
        ["certificates.k8s.io"] = 17300,
        ["networking.k8s.io"] = 17200,
        ["policy"] = 17100,
        ["rbac.authorization.k8s.io"] = 17000,
        ["storage.k8s.io"] = 16800,
        ["admissionregistration.k8s.io"] = 16700,
        ["apiextensions.k8s.io"] = 16700,
        ["scheduling.k8s.io"] = 16600,
        ["coordination.k8s.io"] = 16500,
        ["node.k8s.io"] = 16300,
        ["discovery.k8s.io"] = 16200,
        ["flowcontrol.apiserver.k8s.io"] = 16100,
    };

    /// <summary>Groups in discovery order.</summary>
    public static IEnumerable<string> Sort(IEnumerable<string> groups) =>
        groups.Distinct(StringComparer.Ordinal)
            .OrderByDescending(g => GroupPriority.GetValueOrDefault(g, 1000))
            .ThenBy(g => g, StringComparer.Ordinal);

    /// <summary>Versions, preferred first.</summary>
    public static IEnumerable<string> SortVersions(IEnumerable<string> versions) =>
        versions.Distinct(StringComparer.Ordinal).Order(VersionComparer.Instance);

    /// <summary>Compares versions so that the higher-priority one sorts first (k8s.io/apimachinery/pkg/version.CompareKubeAwareVersionStrings, reversed).</summary>
    public sealed class VersionComparer : IComparer<string>
    {
        public static readonly VersionComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = Parse(x ?? "");
            var b = Parse(y ?? "");
            if (a.Kube != b.Kube)
            {
                return a.Kube ? -1 : 1;
            }

            if (!a.Kube)
            {
                return string.CompareOrdinal(x, y);
            }

            if (a.Stage != b.Stage)
            {
                return b.Stage.CompareTo(a.Stage);
            }

            if (a.Major != b.Major)
            {
                return b.Major.CompareTo(a.Major);
            }

            return b.Minor.CompareTo(a.Minor);
        }

        private static (bool Kube, int Major, int Stage, int Minor) Parse(string version)
        {
            var match = System.Text.RegularExpressions.Regex.Match(version, "^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$");
            if (!match.Success)
            {
                return (false, 0, 0, 0);
            }

            var stage = match.Groups[2].Value switch { "alpha" => 0, "beta" => 1, _ => 2 };
            var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return (true, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), stage, minor);
        }
    }
}
