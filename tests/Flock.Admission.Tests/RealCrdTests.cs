using System.Text.Json.Nodes;
using Flock.Sandbox.Admission;
using k8s;
using k8s.Models;

namespace Flock.Admission.Tests;

/// <summary>The operator's own CRDs, as generated into config/crd/bases, go through admission like on a real cluster.</summary>
public class RealCrdTests
{
    private static readonly Lazy<StructuralSchema> TrainingNode = new(() => Load("flock.io_flocktrainingnodes.yaml"));
    private static readonly Lazy<StructuralSchema> Validator = new(() => Load("flock.io_flockvalidators.yaml"));

    [Theory]
    [InlineData("flock.io_flocktrainingnodes.yaml")]
    [InlineData("flock.io_flockvalidators.yaml")]
    public void EveryVersionSchemaOfTheCrdCompiles(string file)
    {
        var crd = ReadCrd(file);
        foreach (var version in crd.Spec.Versions)
        {
            var schema = StructuralSchema.Compile(version.Schema.OpenAPIV3Schema);
            Assert.True(schema.IsRoot);
            Assert.Contains("spec", schema.Properties.Keys);
        }
    }

    [Fact]
    public void AMinimalTrainingNodeIsAdmittedAndDefaultedDeeply()
    {
        var obj = MinimalTrainingNode();
        var result = CustomResourceAdmission.Admit(TrainingNode.Value, obj, null);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var spec = obj["spec"]!;
        Assert.Equal("InCluster", (string?)spec["placement"]!["mode"]);
        Assert.Equal(1, (long)spec["resources"]!["gpu"]!["count"]!);
        Assert.Equal("8", (string?)spec["resources"]!["cpu"]);
        Assert.Equal("100Gi", (string?)spec["cache"]!["size"]);
        Assert.Equal("token", (string?)spec["credentials"]!["huggingFace"]!["tokenKey"]);
        Assert.Equal("Required", (string?)spec["staking"]!["gate"]);
        Assert.False((bool)spec["suspend"]!);
    }

    [Fact]
    public void SchemaErrorsOfATrainingNodeUseTheApiserverWording()
    {
        var obj = MinimalTrainingNode();
        obj["spec"]!["staking"]!["address"] = "0x12";
        obj["spec"]!["resources"] = JsonNode.Parse("""{"gpu":{"count":20}}""");
        obj["spec"]!.AsObject().Remove("taskId");

        var errors = Schemas.Messages(CustomResourceAdmission.Admit(TrainingNode.Value, obj, null).Errors);

        Assert.Equal(
            [
                "spec.resources.gpu.count: Invalid value: 20: spec.resources.gpu.count in body should be less than or equal to 16",
                "spec.staking.address: Invalid value: \"0x12\": spec.staking.address in body should be at least 42 chars long",
                "spec.taskId: Required value",
                "<nil>: Invalid value: \"null\": " + "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            ],
            errors);
    }

    [Fact]
    public void TypeAndEnumErrorsOfATrainingNode()
    {
        var obj = MinimalTrainingNode();
        obj["spec"]!["placement"] = JsonNode.Parse("""{"mode":"Foo"}""");
        obj["spec"]!["resources"] = JsonNode.Parse("""{"gpu":{"count":"string"}}""");

        var errors = Schemas.Messages(CustomResourceAdmission.Admit(TrainingNode.Value, obj, null).Errors);

        Assert.Contains("spec.placement.mode: Unsupported value: \"Foo\": supported values: \"InCluster\", \"Akash\", \"Auto\"", errors);
        Assert.Contains("spec.resources.gpu.count: Invalid value: \"string\": spec.resources.gpu.count in body must be of type integer: \"string\"", errors);
    }

    [Fact]
    public void CelRulesOfATrainingNodeReportAtTheirFieldPath()
    {
        var obj = MinimalTrainingNode();
        obj["spec"]!["placement"] = JsonNode.Parse("""{"mode":"Akash"}""");
        obj["spec"]!["credentials"]!.AsObject().Remove("huggingFace");
        obj["spec"]!["env"] = JsonNode.Parse("""[{"name":"HF_TOKEN","value":"x"}]""");

        var errors = Schemas.Messages(CustomResourceAdmission.Admit(TrainingNode.Value, obj, null).Errors);

        Assert.Equal(
            [
                "spec.credentials.huggingFace: Required value: credentials.huggingFace is required for a training node: it pushes adapters to Hugging Face",
                "spec.env: Forbidden: env must not set FLOCK_API_KEY, HF_TOKEN, HF_USERNAME, HG_USERNAME, TASK_ID, GIT_URL or HF_HOME: the operator sets them from the spec",
                "spec.placement.akash: Required value: placement.akash is required when placement.mode is Akash or Auto",
            ],
            errors);
    }

    [Fact]
    public void AkashDepositRulesCheckAmountAndDenom()
    {
        var obj = MinimalTrainingNode();
        obj["spec"]!["placement"] = JsonNode.Parse("""
            {"mode":"Akash","akash":{
              "accountSecretRef":{"name":"akash","key":"mnemonic"},
              "maxPrice":{"amount":"10"},
              "deposit":{"amount":"0","denom":"uakt"},
              "attributes":{"region":"us-west"}}}
            """);

        var errors = Schemas.Messages(CustomResourceAdmission.Admit(TrainingNode.Value, obj, null).Errors);

        Assert.Equal(
            [
                "spec.placement.akash.deposit.denom: Invalid value: \"object\": deposit.denom must equal maxPrice.denom (the chain rejects a deposit in another denom)",
                "spec.placement.akash.deposit.amount: Invalid value: \"object\": amount must be greater than zero",
            ],
            errors);
    }

    [Fact]
    public void ValidatorTaskIdsMustNotRepeat()
    {
        var obj = Schemas.Json("""
            {"apiVersion":"flock.io/v1alpha1","kind":"FlockValidator","metadata":{"name":"v"},
             "spec":{"taskIds":[7,8,7],"credentials":{"flockApiKey":{"name":"flock","key":"api-key"}},
                     "staking":{"address":"0x1111111111111111111111111111111111111111"}}}
            """);

        var errors = CustomResourceAdmission.Admit(Validator.Value, obj, null).Errors;

        // The set check names the repeated item; the CRD's CEL rule reports on the list itself.
        Assert.Equal("spec.taskIds[2]: Duplicate value: 7", errors[0].ToString());
        Assert.Equal(["spec.taskIds[2]", "spec.taskIds"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("""{"module":"lora"}""", "spec.image", "ships no image")]
    [InlineData("""{"module":"llm_judge","image":"registry.example/me/flock-validator:1"}""", "spec.llmJudge", "needs llmJudge.apiKey")]
    [InlineData("""{"module":"judge","image":"registry.example/me/flock-validator:1"}""", "spec.module", "")]
    public void A_FLock_validator_module_needs_its_image_and_the_judges_key(string extra, string field, string text)
    {
        var obj = Schemas.Json("""
            {"apiVersion":"flock.io/v1alpha1","kind":"FlockValidator","metadata":{"name":"v"},
             "spec":{"taskIds":[7],"credentials":{"flockApiKey":{"name":"flock","key":"api-key"}},
                     "staking":{"address":"0x1111111111111111111111111111111111111111"}}}
            """);
        foreach (var (key, value) in Schemas.Json(extra).AsObject().ToList()) obj["spec"]![key] = value!.DeepClone();

        var errors = CustomResourceAdmission.Admit(Validator.Value, obj, null).Errors;

        var error = Assert.Single(errors, e => e.Field == field);
        Assert.Contains(text, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_FLock_validator_module_with_its_image_and_key_is_admitted()
    {
        var obj = Schemas.Json("""
            {"apiVersion":"flock.io/v1alpha1","kind":"FlockValidator","metadata":{"name":"v"},
             "spec":{"taskIds":[7],"credentials":{"flockApiKey":{"name":"flock","key":"api-key"}},
                     "staking":{"address":"0x1111111111111111111111111111111111111111"},
                     "module":"llm_judge","image":"registry.example/me/flock-validator:1",
                     "llmJudge":{"apiKey":{"name":"platform","key":"key"}}}}
            """);

        var result = CustomResourceAdmission.Admit(Validator.Value, obj, null);

        Assert.Empty(result.Errors);
        Assert.Equal("https://api.flock.io/v1", obj["spec"]!["llmJudge"]!["baseUrl"]!.GetValue<string>()); // defaulted in place
    }

    [Fact]
    public void UnknownFieldsArePrunedWithWarnings()
    {
        var obj = MinimalTrainingNode();
        obj["spec"]!["foo"] = 1;
        obj["spec"]!["staking"]!["bar"] = true;

        var result = CustomResourceAdmission.Admit(TrainingNode.Value, obj, null);

        Assert.Empty(result.Errors);
        Assert.Equal(["unknown field \"spec.foo\"", "unknown field \"spec.staking.bar\""], result.Warnings);
        Assert.False(obj["spec"]!.AsObject().ContainsKey("foo"));
    }

    internal static JsonObject MinimalTrainingNode() => Schemas.Json("""
        {"apiVersion":"flock.io/v1alpha1","kind":"FlockTrainingNode","metadata":{"name":"n","namespace":"default"},
         "spec":{"taskId":5,
                 "credentials":{"flockApiKey":{"name":"flock","key":"api-key"},"huggingFace":{"secretName":"hf"}},
                 "staking":{"address":"0x1111111111111111111111111111111111111111"}}}
        """);

    private static StructuralSchema Load(string file) =>
        StructuralSchema.Compile(ReadCrd(file).Spec.Versions.Single(v => v.Storage).Schema.OpenAPIV3Schema);

    private static V1CustomResourceDefinition ReadCrd(string file)
    {
        var path = Path.Combine(Flock.Testing.RepositoryRoot.Path, "config", "crd", "bases", file);
        // The generator writes a comment header before the document; YAML ignores it, but strip it to be independent of that.
        var lines = File.ReadAllLines(path).SkipWhile(l => l.StartsWith('#') || l.Trim() == "---");
        return KubernetesYaml.Deserialize<V1CustomResourceDefinition>(string.Join("\n", lines));
    }
}
