using System.Text.Json;
using System.Threading.Tasks;
using KitchenButton.Cli.Tests.Support;
using KitchenButton.Testing;
using Xunit;

namespace KitchenButton.Cli.Tests;

[Collection(LocalCollection.Name)]
[Trait(Tier.Name, Tier.Outer)]
public sealed class StationCommandTests : IAsyncLifetime
{
    private readonly LocalFixture _fixture;
    private OperatorStack _stack = null!;

    public StationCommandTests(LocalFixture fixture)
    {
        _fixture = fixture;
    }

    public async Task InitializeAsync() => _stack = await OperatorStack.StartAsync(_fixture.Dynalite);

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task A_station_is_added_listed_shown_changed_and_removed()
    {
        CliRun added = await _stack.RunAsync("station", "add", "pizza", "--name", "Pizza oven", "--timeout-seconds", "1200");
        Assert.True(added.ExitCode == 0, added.Error);
        await _stack.Gateway.EnqueueOrderAsync("pizza", "ord-1");

        CliRun listed = await _stack.RunAsync("station", "list", "--output", "json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        JsonElement station = Assert.Single(JsonDocument.Parse(listed.Output).RootElement.EnumerateArray());
        Assert.Equal("pizza", station.GetProperty("station").GetString());
        Assert.Equal("Pizza oven", station.GetProperty("name").GetString());
        Assert.Equal(1200, station.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(1, station.GetProperty("waiting").GetInt32());

        Assert.Equal(0, (await _stack.RunAsync("station", "set", "pizza", "--timeout-seconds", "900")).ExitCode);
        CliRun shown = await _stack.RunAsync("station", "show", "pizza", "-o", "json");
        Assert.Equal(900, JsonDocument.Parse(shown.Output).RootElement.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(900, (await _stack.Gateway.Directory.FindStationAsync("pizza", default))!.TimeoutSeconds);

        CliRun busy = await _stack.RunAsync("station", "remove", "pizza");
        Assert.Equal(ExitCodes.Conflict, busy.ExitCode);
        Assert.Contains("1 order(s) waiting", busy.Error);

        CliRun table = await _stack.RunAsync("station", "list");
        Assert.Contains("Pizza oven", table.Output);
    }

    [Fact]
    public async Task A_station_that_exists_is_a_conflict_and_a_bad_timeout_a_usage_error()
    {
        Assert.Equal(0, (await _stack.RunAsync("station", "add", "grill")).ExitCode);

        CliRun again = await _stack.RunAsync("station", "add", "grill", "--name", "Other");
        Assert.Equal(ExitCodes.Conflict, again.ExitCode);
        Assert.Contains("already exists", again.Error);
        Assert.Equal("grill", (await _stack.Gateway.Directory.FindStationAsync("grill", default))!.Name);

        CliRun tooShort = await _stack.RunAsync("station", "add", "salad", "--timeout-seconds", "5");
        Assert.Equal(ExitCodes.Usage, tooShort.ExitCode);
        Assert.Contains("--timeout-seconds", tooShort.Error);
        Assert.Null(await _stack.Gateway.Directory.FindStationAsync("salad", default));
    }

    [Fact]
    public async Task A_station_with_buttons_is_not_removed_and_an_empty_one_is()
    {
        Assert.Equal(0, (await _stack.RunAsync("station", "add", "drinks")).ExitCode);
        await _stack.Gateway.PairAsync("bar-1", "drinks", new byte[32], createStation: false);

        CliRun busy = await _stack.RunAsync("station", "remove", "drinks");
        Assert.Equal(ExitCodes.Conflict, busy.ExitCode);
        Assert.Contains("1 button(s)", busy.Error);

        Assert.Equal(0, (await _stack.RunAsync("station", "add", "dessert")).ExitCode);
        Assert.Equal(0, (await _stack.RunAsync("station", "remove", "dessert")).ExitCode);
        Assert.Null(await _stack.Gateway.Directory.FindStationAsync("dessert", default));
    }
}
