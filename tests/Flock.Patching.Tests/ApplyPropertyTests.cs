using CsCheck;
using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Apply;
using Flock.Sandbox.Patching.Json;

namespace Flock.Patching.Tests;

public class ApplyPropertyTests
{
    private static readonly ApplySchema ConfigMaps = ApplySchema.Builtin("v1", "ConfigMap");
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<Dictionary<string, string>> Data =
        Gen.Select(Gen.String["abcd"].Where(s => s.Length > 0), Gen.String["xy"]).Array[0, 5]
            .Select(pairs => pairs.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().Item2));

    private static JsonObject ConfigMap(Dictionary<string, string> data, Dictionary<string, string> labels)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "cm" },
        };
        if (labels.Count > 0) obj["metadata"]!["labels"] = new JsonObject(labels.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value)));
        if (data.Count > 0) obj["data"] = new JsonObject(data.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value)));
        return obj;
    }

    private static Dictionary<string, string> Map(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) : [];

    [Fact]
    public void ASoleApplierEndsUpWithExactlyItsConfiguration() =>
        Gen.Select(Data, Data, Data, Data).Sample((d1, l1, d2, l2) =>
        {
            var first = ServerSideApply.Apply(null, ConfigMap(d1, l1), "m", false, ConfigMaps, Now).Object!;
            var second = ServerSideApply.Apply(first, ConfigMap(d2, l2), "m", false, ConfigMaps, Now).Object!;
            return Map(second["data"]).OrderBy(p => p.Key).SequenceEqual(d2.OrderBy(p => p.Key))
                && Map(second["metadata"]!["labels"]).OrderBy(p => p.Key).SequenceEqual(l2.OrderBy(p => p.Key));
        });

    [Fact]
    public void ReapplyingIsANoOp() =>
        Gen.Select(Data, Data).Sample((d, l) =>
        {
            var first = ServerSideApply.Apply(null, ConfigMap(d, l), "m", false, ConfigMaps, Now).Object!;
            var again = ServerSideApply.Apply(first, ConfigMap(d, l), "m", false, ConfigMaps, Now.AddHours(1));
            return again.Succeeded && !again.Changed && JsonValues.Equal(first, again.Object);
        });

    [Fact]
    public void TwoAppliersNeverLoseEachOthersKeysWithoutConflict() =>
        Gen.Select(Data, Data).Sample((a, b) =>
        {
            var first = ServerSideApply.Apply(null, ConfigMap(a, []), "a", false, ConfigMaps, Now).Object!;
            var outcome = ServerSideApply.Apply(first, ConfigMap(b, []), "b", false, ConfigMaps, Now);
            var clash = a.Keys.Intersect(b.Keys).Where(k => a[k] != b[k]).ToList();
            if (clash.Count > 0)
            {
                return !outcome.Succeeded && outcome.Conflicts.Select(c => c.FieldPath).Order().SequenceEqual(clash.Select(k => ".data." + k).Order());
            }

            var data = Map(outcome.Object!["data"]);
            return a.Concat(b).All(p => data.TryGetValue(p.Key, out var v) && v == p.Value);
        });
}
