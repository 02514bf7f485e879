"""Two-factor authentication at sign-in (django-otp): who owes a code (selectors.py), setting up an app and
checking a code (services.py), the pages (views.py, urls.py), the middleware that keeps a person who owes a code
on those pages (middleware.py) and the API's session authentication that refuses them (api_auth.py). The
django-axes lockout page (views.locked_out) lives here too, beside the other sign-in pages."""
