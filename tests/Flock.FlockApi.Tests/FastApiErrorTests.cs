using Flock.FlockApi.Tests.Support;

namespace Flock.FlockApi.Tests;

/// <summary>
/// What FastAPI answers outside the routes' own logic (encode/starlette starlette/routing.py; fastapi
/// exception_handlers.py): the clients call resp.json() on failures, so these must be JSON too.
/// </summary>
public sealed class FastApiErrorTests : IAsyncLifetime
{
    private readonly ApiWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Theory]
    [InlineData("/tasks/nonexistent")]
    [InlineData("/tasks/request-validation-assignment")]
    public async Task An_unrouted_path_is_404_not_found_as_json(string path)
    {
        var answer = await _world.Clients.SendAsync(HttpMethod.Post, path, ApiWorld.ValidatorKey, body: null, _world.Ct);

        Assert.Equal(404, answer.Status);
        Assert.True(answer.IsDetail("Not Found"), answer.ToString());
        Assert.Equal("application/json", answer.ContentHeaders.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "/tasks/submit-result", "POST")]
    [InlineData("GET", "/tasks/update-validation-assignment/1", "POST")]
    [InlineData("POST", "/tasks/get?task_id=12", "GET")]
    [InlineData("POST", "/tasks/list", "GET")]
    public async Task A_known_path_with_another_method_is_405_with_allow_as_json(string method, string path, string allowed)
    {
        var answer = await _world.Clients.SendAsync(new HttpMethod(method), path, ApiWorld.ValidatorKey, body: null, _world.Ct);

        Assert.Equal(405, answer.Status);
        Assert.True(answer.IsDetail("Method Not Allowed"), answer.ToString());
        Assert.Equal([allowed], answer.ContentHeaders.Allow);
    }

    [Fact]
    public async Task A_task_read_without_task_id_is_a_422_for_the_missing_query_parameter()
    {
        var answer = await _world.Clients.SendAsync(HttpMethod.Get, "/tasks/get", key: null, body: null, _world.Ct);

        Assert.Equal(422, answer.Status);
        var error = Assert.Single(answer.Json["detail"]!.AsArray());
        Assert.Equal(("query.task_id", "value_error.missing"), (string.Join('.', error!["loc"]!.AsArray().Select(p => (string?)p)), (string?)error["type"]));
    }
}
