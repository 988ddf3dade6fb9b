module aeplay

go 1.26.8
