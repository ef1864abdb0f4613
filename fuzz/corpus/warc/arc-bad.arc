filedesc://IA-001102.arc 192.0.2.7 19961104142103 text/plain 75
1 0 Alexa Internet
URL IP-address Archive-date Content-type Archive-length


not a header
http://www.example.org/cafe.html 192.0.2.7 19961104142105 text/html 121
HTTP/1.0 200 OK
Content-Type: text/html; charset=iso-8859-1

<html><title>Café</title><p>Le café est chaud.</p></html>
http://e.x/cut 192.0.2.7 19961104142110 text/html 5000
HTTP/1.0 200 OK

<p>cut