using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Crds.Serialization;

namespace Flock.Chart.Tests;

/// <summary>
/// deploy/argocd/health.lua run by a real Lua 5.1 interpreter (the language Argo CD embeds) on the
/// fixtures of its health_test.yaml, in Argo CD's own fixture format.
/// </summary>
public sealed class ArgoHealthTests
{
    private static string ArgoDir => Path.Combine(RepositoryPaths.Root, "deploy", "argocd");

    public static TheoryData<string> Fixtures() => new(Cases().Select(c => c["inputPath"]!.GetValue<string>()));

    private static IEnumerable<JsonObject> Cases() =>
        YamlToJson.Read(File.ReadAllText(Path.Combine(ArgoDir, "health_test.yaml")))!["tests"]!.AsArray().Select(t => t!.AsObject());

    [Fact]
    public void Every_status_argo_cd_knows_for_a_worker_has_a_fixture()
    {
        var statuses = Cases().Select(c => c["healthStatus"]!["status"]!.GetValue<string>()).ToHashSet();

        Assert.Superset(new HashSet<string> { "Healthy", "Progressing", "Degraded", "Suspended" }, statuses);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Health_script_gives_the_expected_status_and_message(string inputPath)
    {
        var expected = Cases().Single(c => c["inputPath"]!.GetValue<string>() == inputPath)["healthStatus"]!;
        var obj = YamlToJson.Read(File.ReadAllText(Path.Combine(ArgoDir, inputPath)))!;
        var script = $"""
            obj = {LuaLiteral(obj)}
            local hs = dofile("{Path.Combine(ArgoDir, "health.lua")}")
            io.write(hs.status, "\n", hs.message)
            """;
        var scriptFile = Path.GetTempFileName();
        File.WriteAllText(scriptFile, script);

        var result = ToolProcess.Run(LuaInterpreter(), [scriptFile]);
        File.Delete(scriptFile);

        Assert.True(result.Succeeded, result.ToString());
        var lines = result.StdOut.Split('\n', 2);
        Assert.Equal(expected["status"]!.GetValue<string>(), lines[0]);
        Assert.Equal(expected["message"]!.GetValue<string>(), lines[1]);
    }

    private static string LuaInterpreter() =>
        new[] { "/usr/bin/lua5.1", "/usr/local/bin/lua5.1" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("lua5.1 not found: run `make tools` (it installs Debian's lua5.1)");

    // JSON as a Lua table constructor: objects become keyed tables, arrays 1-based sequences.
    private static string LuaLiteral(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"[{LuaString(p.Key)}] = {LuaLiteral(p.Value)}")) + "}",
        JsonArray a => "{" + string.Join(", ", a.Select(LuaLiteral)) + "}",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => LuaString(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        JsonValue v => v.ToJsonString(), // a JSON number is a valid Lua number literal
        _ => throw new NotSupportedException(node.ToJsonString()),
    };

    private static string LuaString(string text)
    {
        var escaped = new StringBuilder("\"");
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return escaped.Append('"').ToString();
    }
}
