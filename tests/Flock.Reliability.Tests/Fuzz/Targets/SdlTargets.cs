using CsCheck;
using Flock.Akash.Sdl;
using Flock.Crds.Serialization;
using Flock.Reliability.Tests.Support;

namespace Flock.Reliability.Tests.Fuzz.Targets;

/// <summary>
/// SDL parsing, compiling and rendering. Whatever the text, the parser either accepts it (and then it compiles) or
/// throws an <see cref="SdlException"/> listing at least one error with a path and a message; whatever the request,
/// the renderer either refuses it with an ArgumentException naming the field or writes an SDL that parses, says
/// what was asked, and compiles to the same group specs and manifest hash however the YAML is spelled.
/// </summary>
public static class SdlTargets
{
    private static readonly string[] Models = ["h100", "a100", "rtx4090", "rtx3090", "l40s", "a-b.c_d", "A100", ""];
    private static readonly string[] Auditors = ["akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63", "akash1bad", "cosmos1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9"];

    /// <summary>Seeds: the two Akash Console templates (when the shared fixtures are present) and SDLs our renderer writes.</summary>
    public static IReadOnlyList<string> Seeds { get; } = LoadSeeds();

    public static IFuzzTarget ParseMutated => new FuzzTarget<string>("SDL parse+compile of mutated documents", TextMutation.Of(Seeds), CheckDocument, Show);

    public static IFuzzTarget RenderRequests => new FuzzTarget<WorkerSdlRequest>("SDL render of generated requests (re-parse, same groups and hash)", Requests, CheckRender, r => r.ToString());

    private static IReadOnlyList<string> LoadSeeds()
    {
        var seeds = new List<string>();
        seeds.AddRange(Directory.GetFiles(RepoPaths.SeedTemplates, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText));

        var basic = new WorkerSdlRequest { ServiceName = "flock-train", Image = "public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash", PriceAmount = "10000" };
        seeds.Add(SdlRenderer.Render(basic).Yaml);
        seeds.Add(SdlRenderer.Render(basic with
        {
            Env = [new("FLOCK_API_KEY", "fk"), new("TASK_ID", "12")], GpuModels = ["h100", "a100"], GpuMemory = "80Gi", GpuInterface = "sxm",
            Attributes = new Dictionary<string, string> { ["region"] = "us-west" }, SignedByAllOf = [Auditors[0]], PriceAmount = "1.5", Version = "2.1",
        }).Yaml);
        return seeds;
    }

    private static string Show(string yaml) => yaml.Length <= 4000 ? yaml : yaml[..4000] + "…";

    private static bool CheckDocument(string yaml)
    {
        SdlDocument doc;
        try
        {
            doc = SdlParser.Parse(yaml);
        }
        catch (SdlException e)
        {
            if (e.Errors.Count == 0 || e.Errors.Any(x => string.IsNullOrWhiteSpace(x.Path) || string.IsNullOrWhiteSpace(x.Message)))
            {
                throw new FuzzFailure($"an SdlException without a path and message for each error: {e.Message}", e);
            }

            return false;
        }

        // An SDL the parser accepted compiles: the validator has already refused anything the builders cannot express.
        var compiled = SdlCompiler.Compile(doc);
        if (compiled.Version.Length != 32 || compiled.Groups.Count == 0)
        {
            throw new FuzzFailure($"compiled to {compiled.Groups.Count} groups and a {compiled.Version.Length}-byte version");
        }

        return true;
    }

    private static bool CheckRender(WorkerSdlRequest request)
    {
        RenderedSdl rendered;
        try
        {
            rendered = SdlRenderer.Render(request);
        }
        catch (ArgumentException e) when (!string.IsNullOrEmpty(e.ParamName) && e.Message.Length > e.ParamName.Length)
        {
            return false;
        }

        var doc = SdlParser.Parse(rendered.Yaml);
        var service = doc.Services.Single();
        Expect(service.Name == request.ServiceName, "service name", request.ServiceName, service.Name);
        Expect(service.Image == request.Image, "image", request.Image, service.Image);
        Expect((service.Env ?? []).SequenceEqual(request.Env.Select(e => e.Name + "=" + e.Value)), "env", "the request's variables", "others");
        Expect(doc.Deployments.Single().Count == request.Count, "count", request.Count.ToString(), doc.Deployments.Single().Count.ToString());
        Expect(doc.Placements.Single().Pricing.Single().Denom == request.PriceDenom, "denom", request.PriceDenom, doc.Placements.Single().Pricing.Single().Denom);

        // The same document spelled as JSON (YAML's flow form) compiles to the same groups and manifest hash.
        var asYaml = SdlCompiler.Compile(doc);
        var asJson = SdlCompiler.Compile(YamlToJson.Read(rendered.Yaml)!.ToJsonString());
        Expect(asYaml.ManifestJson == asJson.ManifestJson, "manifest", asYaml.ManifestJson, asJson.ManifestJson);
        Expect(asYaml.Version.SequenceEqual(asJson.Version), "manifest hash", Convert.ToHexString(asYaml.Version), Convert.ToHexString(asJson.Version));
        Expect(asYaml.Groups.SequenceEqual(asJson.Groups), "group specs", string.Join(";", asYaml.Groups), string.Join(";", asJson.Groups));
        return true;
    }

    private static void Expect(bool ok, string what, string expected, string actual)
    {
        if (!ok) throw new FuzzFailure($"{what}: expected {expected}, got {actual}");
    }

    private static Gen<string> Pick(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    private static readonly Gen<string> Value = Gen.Frequency(
        (3, Pick("", "x", "12", "a=b", "with space", "quote\"d", "back\\slash", "new\nline", "tab\t", "colon: yes", "# hash", "- dash", "{brace}", "*star", "&amp", "é", "\ud83d\udca5", "\u2028", "\u0085", "\ufeff", "\u0001")),
        (1, Gen.String[0, 20]));

    // Each field is one the renderer should take nine times in ten, so whole requests often render.
    private static Gen<string> Field(string[] good, string[] bad) => Gen.Frequency((9, Pick(good)), (1, Pick(bad)));

    private static readonly Gen<SdlEnvVar> EnvVar =
        from name in Field(["FLOCK_API_KEY", "HF_TOKEN", "TASK_ID", "X", "_Y", "HF_HOME"], ["1BAD", "A-B", ""])
        from value in Value
        select new SdlEnvVar(name, value);

    private static readonly Gen<WorkerSdlRequest> Requests =
        from service in Field(["flock-train", "a", "x-1", "flock-validater", new string('a', 63)], ["Flock", "-bad", "", new string('a', 64)])
        from image in Field(["public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash", "ghcr.io/flock-io/llm-loss-validator:v1.1.2", "img", "img \"q\"", "img: x"], ["", " "])
        from env in EnvVar.Array[0, 4]
        from cpu in Field(["8", "7500m", "0.25", "1", "100000", "1e3"], ["0", "-1", "abc", "0.0001", "1e400"])
        from memory in Field(["24Gi", "1.5Gi", "32G", "1500M", "2147483648", "1000", "1e3", "1Ei"], ["0", "-1Gi", "1023", "16Ei", "24GB", "1", "99999999999999999999999999999Ei"])
        from storage in Field(["100Gi", "1Ti", "512Mi"], ["0", "7", "x", "1e400"])
        from gpus in Gen.Frequency((9, Gen.Int[0, 3]), (1, Gen.Const(-1)))
        from models in Field(["h100", "a100", "rtx4090", "rtx3090", "l40s", "a-b.c_d"], ["A100", ""]).Array[0, 3]
        from gpuMemory in Field(["", "80Gi", "24Gi"], ["1.5Gi", "1000", "abc"])
        from gpuInterface in Field(["", "pcie", "sxm"], ["nvlink"])
        from attributeKeys in Field(["region", "tier", "Region", "x/y.z-w_v", "capabilities/gpu"], ["1bad", "a"]).Array[0, 3]
        from attributeValue in Value
        from signedBy in Field([Auditors[0]], Auditors[1..]).Array[0, 2]
        from denom in Field(["uact", "uakt"], ["usd"])
        from amount in Field(["10000", "1.5", "0.000001", "0.1", "100.25", "123456789012345678901234567890", "0"], ["1e5", "-1", "1.0000000000000000001", "5."])
        from port in Gen.Frequency((9, Pick(3000u, 80u, 65535u, 1u)), (1, Pick(0u, 65536u)))
        from count in Gen.Frequency((9, Pick(1u, 2u)), (1, Pick(0u)))
        from version in Field(["2.0", "2.1"], ["3.0"])
        select new WorkerSdlRequest
        {
            ServiceName = service,
            Image = image,
            Env = env,
            Cpu = cpu,
            Memory = memory,
            Storage = storage,
            GpuCount = gpus,
            GpuModels = gpus > 0 ? models : [],
            GpuMemory = gpuMemory.Length == 0 || gpus <= 0 ? null : gpuMemory,
            GpuInterface = gpuInterface.Length == 0 || gpus <= 0 ? null : gpuInterface,
            Attributes = attributeKeys.Distinct().ToDictionary(k => k, _ => attributeValue),
            SignedByAllOf = signedBy.Distinct().ToList(),
            PriceDenom = denom,
            PriceAmount = amount,
            ContainerPort = port,
            Count = count,
            Version = version,
        };

    private static Gen<uint> Pick(params uint[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);
}
