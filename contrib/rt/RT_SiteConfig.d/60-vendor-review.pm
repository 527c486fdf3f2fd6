# vendor-review: Request Tracker 5 behind the intranet's nginx, beside the
# vendor-review plugin, with one login for both.
#
# Install as /etc/request-tracker5/RT_SiteConfig.d/60-vendor-review.pm
# (RT reads every *.pm there in order, after RT_SiteConfig.pm).  Set
# WebBaseURL to the address people type; the rest can stay as it is.

# The address of the intranet's server and the path RT is served under
# (contrib/rt/rt.conf serves it at /rt).
Set($WebBaseURL, 'https://intranet.example.jp');
Set($WebPath, '/rt');

# One login: nginx authenticates (the site's login, as for the plugin)
# and passes the user as REMOTE_USER (rt.conf sets it from $vr_user, the
# variable the plugin's identity params are made of).  RT trusts it and
# shows no login form of its own.
Set($WebRemoteUserAuth, 1);
Set($WebRemoteUserContinuous, 1);
Set($WebFallbackToRTLogin, 0);
Set($WebRemoteUserGecos, 0);
# People who log in to the intranet become RT users on their first visit
# (privileged: they work the "Vendor Review" queue).
Set($WebRemoteUserAutocreate, 1);
Set($UserAutocreateDefaultsOnLogin, { Privileged => 1 });

# REST 2.0 (the bridge) authenticates with a token of the vr-bridge user
# (Authorization: token ...), which needs no REMOTE_USER: rt.conf serves
# /rt/REST/2.0/ without the site's login for that.
