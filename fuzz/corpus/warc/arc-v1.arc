filedesc://IA-001102.arc 192.0.2.7 19961104142103 text/plain 75
1 0 Alexa Internet
URL IP-address Archive-date Content-type Archive-length

dns:www.example.org 192.0.2.7 19961104142104 text/dns 52
19961104142104
www.example.org. 3600 IN A 192.0.2.7

http://www.example.org/cafe.html 192.0.2.7 19961104142105 text/html 121
HTTP/1.0 200 OK
Content-Type: text/html; charset=iso-8859-1

<html><title>Café</title><p>Le café est chaud.</p></html>
http://www.example.org/c 192.0.2.7 19961104142106 text/html 87
HTTP/1.1 200 OK
Content-Type: text/html
Transfer-Encoding: chunked

5
hello
0


http://www.example.org/i.gif 192.0.2.7 19961104142107 image/gif 50
HTTP/1.0 200 OK
Content-Type: image/gif

GIF89a
