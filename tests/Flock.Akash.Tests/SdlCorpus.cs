using System.Globalization;
using System.Text;
using Flock.Akash.Crypto;
using Flock.Akash.Sdl;

namespace Flock.Akash.Tests;

/// <summary>
/// The SDLs the cross-check compares against chain-sdk: the two seed templates, SDLs our renderer produces from
/// varied worker requests, and hand-built multi-service / multi-placement SDLs exercising the parser's corners
/// (GPU vendors and models in any order, ram and interface, placement attributes whose order depends on
/// collation, signedBy, uakt and uact, persistent volumes, UDP and random ports, accept hosts, http options,
/// services sharing a compute profile). Deterministic: fixed seeds.
/// </summary>
internal static class SdlCorpus
{
    private static readonly string[] Models = ["h100", "a100", "rtx3090", "rtx4090", "rtx8000", "rtxa6000", "a40", "p40", "l40s", "t4"];
    private static readonly string[] AttributeKeys = ["region", "tier", "host", "organization", "capabilities/gpu", "Region", "zone_b", "zone-b", "zone.b", "zone/b", "zone1", "Zone2"];

    public static IReadOnlyList<(string Name, string Yaml)> All(int rendered = 48, int generated = 40)
    {
        var list = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(Repo.SeedTemplates, "*.yaml").Order(StringComparer.Ordinal))
        {
            list.Add(("seed:" + Path.GetFileName(file), File.ReadAllText(file)));
        }

        var random = new Random(424242);
        for (var i = 0; i < rendered; i++)
        {
            list.Add(($"rendered:{i}", SdlRenderer.Render(Request(random, i)).Yaml));
        }

        for (var i = 0; i < generated; i++)
        {
            list.Add(($"generated:{i}", Generated(random, i)));
        }

        return list;
    }

    public static string Auditor(Random random)
    {
        var bytes = new byte[20];
        random.NextBytes(bytes);
        return Bech32.Encode("akash", bytes);
    }

    public static WorkerSdlRequest Request(Random r, int i)
    {
        var gpuCount = i % 5 == 4 ? 0 : r.Next(1, 5);
        var models = gpuCount == 0 ? [] : Models.OrderBy(_ => r.Next()).Take(r.Next(0, 6)).ToArray();
        var attributes = new Dictionary<string, string>();
        for (var k = r.Next(0, 4); k > 0; k--)
        {
            attributes[Pick(r, AttributeKeys)] = Pick(r, ["us-west", "eu", "true", "1", "dc <one> & two"]);
        }

        (uint Port, uint As) ports = Pick(r, new[] { (3000u, 80u), (3000u, 80u), (8080u, 8080u), (80u, 80u), (3000u, 3000u) });
        return new WorkerSdlRequest
        {
            ServiceName = Pick(r, ["flock-train", "flock-validator", "worker", "w1"]),
            Image = Pick(r, ["public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash", "ghcr.io/flock-io/llm-loss-validator:v1.1.2", "nginx:1.27"]),
            Env =
            [
                new("FLOCK_API_KEY", "fk_" + Token(r)),
                new("HF_TOKEN", "hf_" + Token(r)),
                new("TASK_ID", r.Next(1, 50).ToString(CultureInfo.InvariantCulture) + (i % 3 == 0 ? ",7,9" : "")),
                .. i % 2 == 0 ? new SdlEnvVar[] { new("HF_USERNAME", "user-" + i.ToString(CultureInfo.InvariantCulture)) } : [],
                .. i % 4 == 1 ? new SdlEnvVar[] { new("EXTRA", "quote \" backslash \\ <tag> & amp \u00e9 tab\t") } : [],
            ],
            Cpu = Pick(r, ["8", "7500m", "0.5", "16", "250m", "1"]),
            Memory = Pick(r, ["24Gi", "512Mi", "1.5Gi", "32G", "1000M"]),
            Storage = Pick(r, ["100Gi", "200G", "50Gi", "1Ti"]),
            GpuCount = gpuCount,
            GpuModels = models,
            GpuMemory = gpuCount > 0 && models.Length > 0 && r.Next(3) == 0 ? Pick(r, ["24Gi", "80Gi", "48Gi"]) : null,
            GpuInterface = gpuCount > 0 && models.Length > 0 && r.Next(3) == 0 ? Pick(r, ["pcie", "sxm"]) : null,
            PlacementName = Pick(r, ["akash", "dcloud", "westcoast"]),
            Attributes = attributes,
            SignedByAllOf = r.Next(4) == 0 ? [Auditor(r)] : [],
            SignedByAnyOf = r.Next(3) == 0 ? [Auditor(r), Auditor(r)] : [],
            PriceDenom = r.Next(3) == 0 ? "uakt" : "uact",
            PriceAmount = Pick(r, ["10000", "1.5", "100", "0.000001", "250.25", "1000000", "10000.50"]),
            ContainerPort = ports.Port,
            ExposedPort = ports.As,
            Count = (uint)r.Next(1, 4),
            Version = r.Next(2) == 0 ? "2.0" : "2.1",
        };
    }

    private static string Generated(Random r, int i)
    {
        var y = new StringBuilder();
        var services = Enumerable.Range(0, r.Next(1, 4)).Select(k => $"svc-{(char)('c' - k)}{k}").ToList();
        var placements = Enumerable.Range(0, r.Next(1, 4)).Select(k => Pick(r, ["akash", "dc1", "zeta", "alpha-1"]) + k.ToString(CultureInfo.InvariantCulture)).ToList();
        var sharedProfile = i % 3 == 0;
        var persistent = new HashSet<string>();
        y.Append(CultureInfo.InvariantCulture, $"version: \"{(i % 2 == 0 ? "2.0" : "2.1")}\"\nservices:\n");
        foreach (var s in services)
        {
            var usePersistent = !sharedProfile && r.Next(4) == 0;
            if (usePersistent)
            {
                persistent.Add(s);
            }

            y.Append(CultureInfo.InvariantCulture, $"  {s}:\n    image: {Pick(r, ["nginx:1.27", "ghcr.io/x/y:v1", "redis"])}\n");
            if (r.Next(3) > 0)
            {
                y.Append("    env:\n      - A=1\n      - \"B=two words\"\n");
            }

            if (r.Next(4) == 0)
            {
                y.Append("    command:\n      - sh\n      - -c\n    args:\n      - \"echo hi && sleep 1\"\n");
            }

            y.Append("    expose:\n");
            switch (r.Next(5))
            {
                case 0:
                    y.Append("      - port: 80\n        accept:\n          - example.com\n          - www.example.com\n        to:\n          - global: true\n");
                    break;
                case 1:
                    y.Append("      - port: 9000\n        as: 9000\n        proto: udp\n        to:\n          - global: true\n");
                    break;
                case 2:
                    y.Append("      - port: 3000\n        as: 80\n        http_options:\n          max_body_size: 2097152\n          read_timeout: 50000\n          next_cases: [\"error\", \"500\"]\n        to:\n          - global: true\n      - port: 22\n        to:\n          - global: true\n");
                    break;
                case 3:
                    y.Append(CultureInfo.InvariantCulture, $"      - port: 6379\n        to:\n          - service: {services[0]}\n");
                    break;
                default:
                    y.Append("      - port: 8080\n        as: 80\n        to:\n          - global: true\n          - service: other\n");
                    break;
            }

            if (usePersistent)
            {
                y.Append("    params:\n      storage:\n        data:\n          mount: /var/data\n          readOnly: false\n");
            }
        }

        y.Append("profiles:\n  compute:\n");
        var profiles = sharedProfile ? ["shared"] : services.Select(s => "p-" + s).ToList();
        foreach (var p in profiles)
        {
            y.Append(CultureInfo.InvariantCulture, $"    {p}:\n      resources:\n        cpu:\n          units: {Pick(r, ["1", "0.5", "\"250m\"", "4", "\"2\""])}\n");
            if (r.Next(4) == 0)
            {
                y.Append("          attributes:\n            arch: amd64\n");
            }

            y.Append(CultureInfo.InvariantCulture, $"        memory:\n          size: {Pick(r, ["512Mi", "1Gi", "2G", "1.5Gi"])}\n");
            var svc = p.StartsWith("p-", StringComparison.Ordinal) ? p[2..] : "";
            if (persistent.Contains(svc))
            {
                y.Append("        storage:\n          - size: 1Gi\n          - name: data\n            size: 10Gi\n            attributes:\n              persistent: true\n              class: beta3\n");
            }
            else if (r.Next(3) == 0)
            {
                y.Append("        storage:\n          - size: 1Gi\n          - name: cache\n            size: 2Gi\n            attributes:\n              class: ram\n");
            }
            else
            {
                y.Append(CultureInfo.InvariantCulture, $"        storage:\n          size: {Pick(r, ["1Gi", "10G", "512Mi"])}\n");
            }

            switch (r.Next(4))
            {
                case 0:
                    break;
                case 1:
                    y.Append("        gpu:\n          units: 1\n          attributes:\n            vendor:\n              nvidia:\n");
                    break;
                default:
                    y.Append(CultureInfo.InvariantCulture, $"        gpu:\n          units: {r.Next(1, 3)}\n          attributes:\n            vendor:\n              nvidia:\n");
                    foreach (var m in Models.OrderBy(_ => r.Next()).Take(r.Next(1, 5)))
                    {
                        y.Append(CultureInfo.InvariantCulture, $"                - model: {m}\n");
                        if (r.Next(3) == 0)
                        {
                            y.Append(CultureInfo.InvariantCulture, $"                  ram: {Pick(r, ["80Gi", "40Gi", "24Gi"])}\n");
                        }

                        if (r.Next(3) == 0)
                        {
                            y.Append(CultureInfo.InvariantCulture, $"                  interface: {Pick(r, ["pcie", "sxm"])}\n");
                        }
                    }

                    break;
            }
        }

        y.Append("  placement:\n");
        foreach (var pl in placements)
        {
            y.Append(CultureInfo.InvariantCulture, $"    {pl}:\n");
            if (r.Next(2) == 0)
            {
                y.Append("      attributes:\n");
                foreach (var key in AttributeKeys.OrderBy(_ => r.Next()).Take(r.Next(1, 5)))
                {
                    y.Append(CultureInfo.InvariantCulture, $"        {key}: {Pick(r, ["us-west", "true", "3", "\"quoted\"", "eu-central"])}\n");
                }
            }

            if (r.Next(3) == 0)
            {
                y.Append(CultureInfo.InvariantCulture, $"      signedBy:\n        anyOf:\n          - \"{Auditor(r)}\"\n        allOf:\n          - \"{Auditor(r)}\"\n");
            }

            y.Append("      pricing:\n");
            foreach (var p in profiles)
            {
                y.Append(CultureInfo.InvariantCulture, $"        {p}:\n          denom: {(r.Next(2) == 0 ? "uact" : "uakt")}\n          amount: {Pick(r, ["1000", "1.25", "\"77\"", "0.5", "100000"])}\n");
            }
        }

        y.Append("deployment:\n");
        foreach (var s in services)
        {
            y.Append(CultureInfo.InvariantCulture, $"  {s}:\n");
            foreach (var pl in placements.Where((_, k) => k == 0 || r.Next(2) == 0))
            {
                y.Append(CultureInfo.InvariantCulture, $"    {pl}:\n      profile: {(sharedProfile ? "shared" : "p-" + s)}\n      count: {r.Next(1, 4)}\n");
            }
        }

        return y.ToString();
    }

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    private static string Token(Random r)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return new string(Enumerable.Range(0, 24).Select(_ => alphabet[r.Next(alphabet.Length)]).ToArray());
    }
}
