using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Crds.V1Alpha1;
using Flock.Sandbox.Admission;

namespace Flock.Crds.Tests;

/// <summary>The samples a newcomer applies first: valid as the apiserver would judge them, and self-contained.</summary>
public sealed class SampleTests
{
    public static TheoryData<string> Files() => new(SampleDocuments.Files);

    [Fact]
    public void Samples_cover_in_cluster_akash_and_a_multi_task_validator()
    {
        var resources = SampleDocuments.Files.Select(SampleDocuments.Resource).ToList();

        Assert.Contains(resources, r => SampleDocuments.KindOf(r) == "FlockTrainingNode" && r["spec"]?["placement"]?["mode"]?.GetValue<string>() == "InCluster");
        Assert.Contains(resources, r => SampleDocuments.KindOf(r) == "FlockTrainingNode" && r["spec"]?["placement"]?["mode"]?.GetValue<string>() == "Akash");
        Assert.Contains(resources, r => SampleDocuments.KindOf(r) == "FlockValidator" && r["spec"]?["taskIds"]?.AsArray().Count == 3);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Sample_is_admitted_by_the_schema_and_its_cel_rules(string file)
    {
        var resource = SampleDocuments.Resource(file);

        var result = CustomResourceAdmission.Admit(CommittedCrds.SchemaFor(SampleDocuments.KindOf(resource)), resource, null);

        Assert.Empty(result.Errors.Select(e => e.ToString()));
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Sample_carries_every_secret_and_key_it_references(string file)
    {
        var documents = SampleDocuments.Read(file);
        var secrets = documents.Where(d => d["kind"]?.GetValue<string>() == "Secret")
            .ToDictionary(d => d["metadata"]!["name"]!.GetValue<string>(), d => d["stringData"]!.AsObject());
        var resource = SampleDocuments.Resource(file);
        var kind = SampleDocuments.KindOf(resource);
        CustomResourceAdmission.Admit(CommittedCrds.SchemaFor(kind), resource, null);
        var spec = Deserialize(resource).Spec;

        var references = new List<(string Secret, string Key)> { (spec.Credentials.FlockApiKey.Name, spec.Credentials.FlockApiKey.Key) };
        if (spec.Credentials.HuggingFace is { } hf)
        {
            references.Add((hf.SecretName, hf.TokenKey));
            if (kind == FlockTrainingNode.KindName) references.Add((hf.SecretName, hf.UsernameKey));
        }

        if (spec.Placement.Akash is { } akash) references.Add((akash.AccountSecretRef.Name, akash.AccountSecretRef.Key));

        foreach (var (secret, key) in references)
        {
            Assert.True(secrets.TryGetValue(secret, out var data), $"{file}: Secret {secret} is referenced but not in the file");
            Assert.True(data!.ContainsKey(key), $"{file}: Secret {secret} has no key {key}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Defaulted_sample_round_trips_through_the_csharp_types_unchanged(string file)
    {
        var resource = SampleDocuments.Resource(file);
        CustomResourceAdmission.Admit(CommittedCrds.SchemaFor(SampleDocuments.KindOf(resource)), resource, null);

        var back = JsonSerializer.SerializeToNode(Deserialize(resource), Deserialize(resource).GetType(), Crds.FlockJson.Options)!;

        Assert.True(JsonNode.DeepEquals(resource["spec"], back["spec"]), $"{resource["spec"]}\n!=\n{back["spec"]}");
    }

    private static IFlockWorker Deserialize(JsonObject resource) => SampleDocuments.KindOf(resource) switch
    {
        FlockTrainingNode.KindName => resource.Deserialize<FlockTrainingNode>(Crds.FlockJson.Options)!,
        FlockValidator.KindName => resource.Deserialize<FlockValidator>(Crds.FlockJson.Options)!,
        var other => throw new InvalidOperationException(other),
    };
}
