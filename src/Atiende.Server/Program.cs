using Atiende.Server;

return await AtiendeHost.RunAsync(args);

/// <summary>Exposed so tests can host the app (WebApplicationFactory).</summary>
public partial class Program;
