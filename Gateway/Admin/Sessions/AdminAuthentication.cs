using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// The admin API's one authentication scheme as its policies see it: a policy scheme that sends access tokens
/// (a JWT in <c>Authorization: Bearer</c>, or the session cookie when no other credential is sent) to the session
/// scheme and everything else to the API-key scheme, whose challenge and denial answer for both.
/// </summary>
public static class AdminAuthentication
{
    public const string SchemeName = "Admin";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SessionOptions>, SessionOptionsValidator>();
        services.AddSingleton(sp => SigningKeyRingFactory.Create(
            sp.GetRequiredService<IOptions<SessionOptions>>().Value, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SigningKeyRing))));
        services.AddHostedService<SigningKeyWarmUp>();
        services.AddSingleton<AccessTokenCodec>();
        services.AddSingleton<SessionStore>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(SchemeName, null, options =>
            {
                options.ForwardDefaultSelector = context => SessionCredentials.ReadAccessToken(context.Request) is not null
                    ? SessionAuthenticationHandler.SchemeName : ApiKeyAuthenticationHandler.SchemeName;
                options.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
                options.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
            });
        return services;
    }
}
