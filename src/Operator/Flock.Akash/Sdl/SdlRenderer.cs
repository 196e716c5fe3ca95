using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Flock.Akash.Chain;

namespace Flock.Akash.Sdl;

/// <summary>Rendered SDL text. It contains env values (secrets): ToString does not print it.</summary>
public sealed record RenderedSdl(string Yaml)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Length = ").Append(Yaml.Length);
        return true;
    }
}

/// <summary>
/// Renders the SDL for one worker. Every choice keeps chain-sdk's TypeScript and Go parsers in agreement, so the
/// group specs and manifest hash do not depend on which tool reads it: GPU models are written sorted (Go sorts,
/// TypeScript keeps order), sizes use exact units both read (Gi/Mi/Ki, G/M/k), GPU ram whole Gi, CPU as cores or
/// "Nm", strings double-quoted.
/// </summary>
public static partial class SdlRenderer
{
    /// <summary>Renders <paramref name="request"/>; throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public static RenderedSdl Render(WorkerSdlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Check(request);
        var y = new StringBuilder();
        y.Append("---\n");
        y.Append("version: ").Append(Q(request.Version)).Append('\n');
        y.Append("services:\n");
        y.Append("  ").Append(request.ServiceName).Append(":\n");
        y.Append("    image: ").Append(Q(request.Image)).Append('\n');
        if (request.Args.Count > 0)
        {
            y.Append("    args:\n");
            foreach (var arg in request.Args) y.Append("      - ").Append(Q(arg)).Append('\n');
        }

        if (request.Env.Count > 0)
        {
            y.Append("    env:\n");
            foreach (var e in request.Env)
            {
                y.Append("      - ").Append(Q(e.Name + "=" + e.Value)).Append('\n');
            }
        }

        y.Append("    expose:\n");
        y.Append("      - port: ").Append(N(request.ContainerPort)).Append('\n');
        y.Append("        as: ").Append(N(request.ExposedPort)).Append('\n');
        y.Append("        to:\n");
        y.Append("          - global: true\n");

        y.Append("profiles:\n");
        y.Append("  compute:\n");
        y.Append("    ").Append(request.ServiceName).Append(":\n");
        y.Append("      resources:\n");
        y.Append("        cpu:\n");
        y.Append("          units: ").Append(Cpu(request.Cpu)).Append('\n');
        y.Append("        memory:\n");
        y.Append("          size: ").Append(Q(Size(request.Memory, nameof(request.Memory)))).Append('\n');
        y.Append("        storage:\n");
        y.Append("          size: ").Append(Q(Size(request.Storage, nameof(request.Storage)))).Append('\n');
        if (request.GpuCount > 0)
        {
            y.Append("        gpu:\n");
            y.Append("          units: ").Append(N((uint)request.GpuCount)).Append('\n');
            y.Append("          attributes:\n");
            y.Append("            vendor:\n");
            var models = GpuModels(request);
            if (models.Count == 0)
            {
                // A vendor with no list: "any model" (vendor/nvidia/model/*) in both parsers; an empty list would not be.
                y.Append("              nvidia:\n");
            }
            else
            {
                y.Append("              nvidia:\n");
                foreach (var (model, ram, iface) in models)
                {
                    y.Append("                - model: ").Append(Q(model)).Append('\n');
                    if (ram is not null)
                    {
                        y.Append("                  ram: ").Append(Q(ram)).Append('\n');
                    }

                    if (iface is not null)
                    {
                        y.Append("                  interface: ").Append(Q(iface)).Append('\n');
                    }
                }
            }
        }

        y.Append("  placement:\n");
        y.Append("    ").Append(request.PlacementName).Append(":\n");
        if (request.Attributes.Count > 0)
        {
            y.Append("      attributes:\n");
            foreach (var (key, value) in request.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                y.Append("        ").Append(Q(key)).Append(": ").Append(Q(value)).Append('\n');
            }
        }

        if (request.SignedByAllOf.Count > 0 || request.SignedByAnyOf.Count > 0)
        {
            y.Append("      signedBy:\n");
            AppendList(y, "        ", "allOf", request.SignedByAllOf);
            AppendList(y, "        ", "anyOf", request.SignedByAnyOf);
        }

        y.Append("      pricing:\n");
        y.Append("        ").Append(request.ServiceName).Append(":\n");
        y.Append("          denom: ").Append(request.PriceDenom).Append('\n');
        y.Append("          amount: ").Append(Amount(request.PriceAmount)).Append('\n');

        y.Append("deployment:\n");
        y.Append("  ").Append(request.ServiceName).Append(":\n");
        y.Append("    ").Append(request.PlacementName).Append(":\n");
        y.Append("      profile: ").Append(request.ServiceName).Append('\n');
        y.Append("      count: ").Append(N(request.Count)).Append('\n');
        return new RenderedSdl(y.ToString());
    }

    /// <summary>Renders and compiles in one step.</summary>
    public static CompiledSdl Compile(WorkerSdlRequest request) => SdlCompiler.Compile(Render(request).Yaml);

    private static void Check(WorkerSdlRequest r)
    {
        Require(NamePattern().IsMatch(r.ServiceName), nameof(r.ServiceName), "must be a lower-case DNS label");
        Require(NamePattern().IsMatch(r.PlacementName), nameof(r.PlacementName), "must be a lower-case DNS label");
        Require(!string.IsNullOrWhiteSpace(r.Image), nameof(r.Image), "must not be empty");
        Require(r.Version is "2.0" or "2.1", nameof(r.Version), "must be 2.0 or 2.1");
        Require(r.PriceDenom is AkashNetwork.Uact or AkashNetwork.Uakt, nameof(r.PriceDenom), "must be uact or uakt");
        Require(r.ContainerPort is >= 1 and <= 65535, nameof(r.ContainerPort), "must be 1-65535");
        Require(r.ExposedPort is >= 1 and <= 65535, nameof(r.ExposedPort), "must be 1-65535");
        Require(r.Count >= 1, nameof(r.Count), "must be at least 1");
        Require(r.GpuCount >= 0, nameof(r.GpuCount), "must not be negative");
        Require(r.GpuInterface is null or "pcie" or "sxm", nameof(r.GpuInterface), "must be pcie or sxm");
        Require(r.GpuCount > 0 || (r.GpuModels.Count == 0 && r.GpuMemory is null && r.GpuInterface is null), nameof(r.GpuModels), "GPU models, memory and interface need a GPU count above 0");
        foreach (var model in r.GpuModels)
        {
            Require(GpuModelPattern().IsMatch(model), nameof(r.GpuModels), "models are lower-case names such as a100");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in r.Env)
        {
            // The message names the variable, never its value.
            Require(EnvNamePattern().IsMatch(e.Name), nameof(r.Env), $"'{e.Name}' is not a valid variable name");
            Require(names.Add(e.Name), nameof(r.Env), $"'{e.Name}' is set twice");
        }

        foreach (var key in r.Attributes.Keys)
        {
            Require(AttributeKeyPattern().IsMatch(key), nameof(r.Attributes), $"'{key}' is not a valid attribute key");
        }

        foreach (var auditor in r.SignedByAllOf.Concat(r.SignedByAnyOf))
        {
            Require(Crypto.Bech32.TryDecode(auditor, out var hrp, out _) && hrp == AkashNetwork.AddressPrefix, "SignedBy", $"'{auditor}' is not an akash address");
        }
    }

    private static void Require(bool ok, string field, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"{field} {message}.", field);
        }
    }

    private static List<(string Model, string? Ram, string? Interface)> GpuModels(WorkerSdlRequest r)
    {
        var ram = r.GpuMemory is null ? null : GpuRam(r.GpuMemory);
        // Sorted by the attribute key the chain will see, in byte order: the order Go's parser produces.
        return r.GpuModels.Distinct(StringComparer.Ordinal)
            .Select(m => (Model: m, Ram: ram, Interface: r.GpuInterface))
            .OrderBy(m => GpuKey(m.Model, m.Ram, m.Interface), StringComparer.Ordinal)
            .ToList();
    }

    private static string GpuKey(string model, string? ram, string? iface) =>
        $"{model}{(ram is null ? "" : "/ram/" + ram)}{(iface is null ? "" : "/interface/" + iface)}";

    // Go normalises GPU ram to whole Gi; anything else would make the two parsers disagree.
    private static string GpuRam(string quantity)
    {
        ulong bytes;
        try
        {
            bytes = KubeQuantity.Bytes(quantity);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(WorkerSdlRequest.GpuMemory));
        }

        const ulong gi = 1UL << 30;
        if (bytes % gi != 0)
        {
            throw new ArgumentException($"GpuMemory '{quantity}' must be a whole number of Gi.", nameof(WorkerSdlRequest.GpuMemory));
        }

        return (bytes / gi).ToString(CultureInfo.InvariantCulture) + "Gi";
    }

    private static string Cpu(string quantity)
    {
        ulong millis;
        try
        {
            millis = KubeQuantity.Millicores(quantity);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(WorkerSdlRequest.Cpu));
        }

        return millis % 1000 == 0 ? (millis / 1000).ToString(CultureInfo.InvariantCulture) : Q(millis.ToString(CultureInfo.InvariantCulture) + "m");
    }

    /// <summary>Bytes in an exact unit both Akash parsers read, preferring the smallest number (24Gi, 32G, 1536Mi).</summary>
    internal static string Size(string quantity, string field)
    {
        ulong bytes;
        try
        {
            bytes = KubeQuantity.Bytes(quantity);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, field);
        }

        // The largest exact unit of each family, then the one with the smaller number (binary on a tie): 24Gi, 32G, 1536Mi.
        string? best = null;
        var bestValue = ulong.MaxValue;
        foreach (var (units, step) in new[] { (new[] { "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" }, 1024UL), (new[] { "k", "M", "G", "T", "P", "E" }, 1000UL) })
        {
            var unit = 1UL;
            for (var p = 0; p < units.Length; p++)
            {
                if (unit > ulong.MaxValue / step)
                {
                    break;
                }

                unit *= step;
                if (bytes % unit == 0 && bytes / unit < bestValue)
                {
                    bestValue = bytes / unit;
                    best = bestValue.ToString(CultureInfo.InvariantCulture) + units[p];
                }
            }
        }

        if (best is not null)
        {
            return best;
        }

        throw new ArgumentException($"{field} '{quantity}' must be a whole number of kilobytes (1000) or kibibytes (1024): Akash SDL sizes need a unit.", field);
    }

    // A plain YAML number when JavaScript would print it back unchanged, else a quoted string: either way the
    // chain sees the same decimal text.
    private static string Amount(string amount)
    {
        string wire;
        try
        {
            wire = LegacyDec.ToWire(amount);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(WorkerSdlRequest.PriceAmount));
        }

        var canonical = LegacyDec.FromWire(wire);
        var asDouble = double.Parse(canonical, CultureInfo.InvariantCulture);
        return JsNumber.ToString(asDouble) == canonical ? canonical : Q(canonical);
    }

    private static void AppendList(StringBuilder y, string indent, string key, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        y.Append(indent).Append(key).Append(":\n");
        foreach (var v in values)
        {
            y.Append(indent).Append("  - ").Append(Q(v)).Append('\n');
        }
    }

    private static string N(uint value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A YAML double-quoted scalar (JSON escapes are valid in it).</summary>
    private static string Q(string value)
    {
        var sb = new StringBuilder();
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"').ToString();
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex GpuModelPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvNamePattern();

    // The chain's attribute key rule (chain-sdk attributes/v1 AttributeNameRegexpString).
    [GeneratedRegex(@"^[a-zA-Z][A-Za-z0-9_/.\-]{1,126}$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeKeyPattern();
}
