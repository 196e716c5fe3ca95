using System.Text.RegularExpressions;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The OpenAPI definition names the apiserver uses (io.k8s.api.apps.v1.Deployment,
/// io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, io.flock.v1alpha1.FlockTrainingNode…).
/// </summary>
public static partial class ModelNames
{
    public const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    public const string ListMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
    public const string Time = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
    public const string MicroTime = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string Status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    public const string DeleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
    public const string Patch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
    public const string ApiResourceList = "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList";

    /// <summary>The package prefix of an API group: io.k8s.api.apps, io.k8s.api.core, io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.</summary>
    public static string PackageOf(string group) => group switch
    {
        "" => "io.k8s.api.core",
        "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
        "apiregistration.k8s.io" => "io.k8s.kube-aggregator.pkg.apis.apiregistration",
        "meta.k8s.io" => "io.k8s.apimachinery.pkg.apis.meta",
        _ when group.EndsWith(".k8s.io", StringComparison.Ordinal) || !group.Contains('.', StringComparison.Ordinal) =>
            "io.k8s.api." + group.Split('.')[0],
        _ => string.Join(".", group.Split('.').Reverse()),
    };

    /// <summary>The definition name of a kind: io.k8s.api.apps.v1.Deployment, io.flock.v1alpha1.FlockTrainingNode.</summary>
    public static string Definition(string group, string version, string kind) => $"{PackageOf(group)}.{version}.{kind}";

    /// <summary>Splits a KubernetesClient model name into version and bare name: V1beta1Foo → (v1beta1, Foo), Corev1Event → (v1, Event, "core").</summary>
    public static (string Version, string Name, string? GroupHint) Split(string clrName)
    {
        var prefixed = PrefixedName().Match(clrName);
        if (prefixed.Success)
        {
            return (prefixed.Groups[2].Value, prefixed.Groups[3].Value, prefixed.Groups[1].Value.ToLowerInvariant());
        }

        var plain = PlainName().Match(clrName);
        return plain.Success ? ("v" + plain.Groups[1].Value, plain.Groups[2].Value, null) : ("v1", clrName, null);
    }

    [GeneratedRegex("^([A-Z][a-z]+)(v[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)([A-Z].*)$")]
    private static partial Regex PrefixedName();

    [GeneratedRegex("^V([0-9]+(?:alpha[0-9]+|beta[0-9]+)?)([A-Z].*)$")]
    private static partial Regex PlainName();
}
