namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The login link, the pages (one HTML shell; the script renders the view named by the path) and the assets.
/// </summary>
public static class DashboardPages
{
    public static readonly string[] PagePaths =
        ["/resources", "/console", "/structured", "/traces", "/traces/{traceId}", "/conversations", "/metrics"];

    public static IEndpointRouteBuilder MapDashboardPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DashboardToken.LoginPath, (HttpContext context, DashboardToken token, string? t, string? returnUrl) =>
        {
            if (!token.Matches(t))
            {
                return Results.Content(DashboardAssets.SignInPage, "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }
            context.Response.Cookies.Append(DashboardToken.CookieName, token.SessionValue, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                IsEssential = true,
                Path = "/",
            });
            // Only local paths, so the link cannot be turned into an open redirect.
            var target = returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] is not '/' and not '\\' ? returnUrl : "/resources";
            return Results.Redirect(target);
        }).ExcludeFromDescription();

        var pages = endpoints.MapGroup("").RequireDashboardSession(isApi: false).ExcludeFromDescription();
        pages.MapGet("/", () => Results.Redirect("/resources"));
        foreach (var path in PagePaths)
        {
            pages.MapGet(path, () => Asset("index.html"));
        }
        pages.MapGet("/dashboard/assets/{file}", (string file) => Asset(file));
        return endpoints;
    }

    private static IResult Asset(string file) => DashboardAssets.Read(file) is { } bytes
        ? Results.Bytes(bytes, DashboardAssets.ContentType(file))
        : Results.NotFound();
}
