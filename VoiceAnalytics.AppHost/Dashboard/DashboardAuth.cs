namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The dashboard's access rule: every page, asset and API needs the session cookie that <c>/login?t=</c> sets.
/// State-changing calls also need the <c>X-Dashboard</c> header, which a cross-site form cannot send.
/// </summary>
public static class DashboardAuth
{
    public const string CommandHeader = "X-Dashboard";

    public static bool IsSignedIn(HttpContext context) =>
        context.RequestServices.GetRequiredService<DashboardToken>()
            .IsSession(context.Request.Cookies[DashboardToken.CookieName]);

    /// <summary>Pages answer 401 with a short explanation; APIs with a 401 problem.</summary>
    public static TBuilder RequireDashboardSession<TBuilder>(this TBuilder builder, bool isApi) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!IsSignedIn(http))
            {
                return isApi
                    ? Results.Problem("Sign in with the dashboard login link printed by the AppHost.", statusCode: StatusCodes.Status401Unauthorized)
                    : Results.Content(DashboardAssets.SignInPage, "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }
            if (!HttpMethods.IsGet(http.Request.Method) && !http.Request.Headers.ContainsKey(CommandHeader))
            {
                return Results.Problem($"Commands need the {CommandHeader} header.", statusCode: StatusCodes.Status400BadRequest);
            }
            return await next(context);
        });
}
