namespace OrderHub.Simulators;

/// <summary>Stand-alone POS simulators: <c>dotnet run --project src/OrderHub.Simulators -- --urls http://127.0.0.1:5090</c>.</summary>
public static class SimulatorProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Not appsettings.json: OrderHub.Api references this project, and two appsettings.json in one publish
        // folder collide. Command-line and environment settings still win.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "simulators.json",
            Optional = true,
            ReloadOnChange = false,
        });
        builder.Services.AddPosSimulators(builder.Configuration);

        var app = builder.Build();
        app.MapPosSimulators(app.Configuration["Simulators:Prefix"] ?? "");
        app.MapTelegramSimulator(app.Configuration["Simulators:Prefix"] ?? "", app.Configuration.GetSection("Simulators:TelegramBots").Get<string[]>());
        app.MapGet("/", () => "OrderHub POS simulators: /poster/{account}/api/{method}, /pos/{path}, /control, /control/stats, /control/orders, /telegram/bot{token}/{method}, /telegram/control");
        app.Run();
    }
}
